"""The package's folders are its layers, and imports go one way only:
core (pure) -> bridge (keras) -> ui (ipywidgets, matplotlib); records (pure) beside the core."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "widgets" / "paramlab"
LAYERS = ("core", "bridge", "ui", "records")

# What each layer may import from paramlab (besides itself and the package's public face).
MAY_IMPORT = {
    "core": set(),
    "records": {"core"},
    "bridge": {"core"},
    "ui": {"core", "bridge", "records"},
}
THIRD_PARTY_BANNED = {
    "core": {"keras", "tensorflow", "ipywidgets", "matplotlib", "IPython"},
    "records": {"keras", "tensorflow", "ipywidgets", "IPython"},
    "bridge": {"ipywidgets", "matplotlib", "IPython"},
    "ui": set(),
}


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement of `path` names (absolute imports only: the package
    uses no relative ones)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            found.add(node.module or "")
            if node.module == "paramlab":
                found.update(f"paramlab.{alias.name}" for alias in node.names)
    return found


def test_the_package_root_holds_only_its_public_face_and_the_layer_folders():
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert modules == ["__init__.py"]
    assert folders == sorted(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_below_it(layer):
    wrong = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in THIRD_PARTY_BANNED[layer]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {module}")
            if module == "paramlab":  # the public face imports the layers: a cycle
                wrong.append(f"{path.relative_to(PACKAGE)} imports the package's public face")
            if top == "paramlab" and module != "paramlab":
                target = module.split(".")[1]
                if target in LAYERS and target != layer and target not in MAY_IMPORT[layer]:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_pure_layers_load_without_keras_or_widgets():
    """Importing paramlab, its core and its records loads neither keras nor ipywidgets."""
    modules = [
        f"paramlab.{path.relative_to(PACKAGE).with_suffix('').as_posix().replace('/', '.')}"
        for layer in ("core", "records")
        for path in sorted((PACKAGE / layer).rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {[m.removesuffix('.__init__') for m in modules]!r}:\n"
        "    importlib.import_module(m)\n"
        "heavy = ('keras', 'tensorflow', 'ipywidgets', 'matplotlib')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
