"""Derive environment.yml and binder/environment.yml from the pins in pyproject.toml.

pyproject.toml is the one place versions are written. Run `make pins` after changing it;
`python -m tools.pins --check` (used by tests/test_repo.py) fails when a file has drifted.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ("course", "test", "hub")
"""Not `lite`: it builds the browser edition (`make lite`) and brings the Pyodide kernel's
JupyterLab extension, which must not load in the course's own JupyterLab (Binder, conda); make
installs it into .venv and disables it there."""
HEADER = "# Generated from pyproject.toml by `make pins` (tools/pins.py). Do not edit by hand.\n"


def pinned_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The exact pins of the course, test and hub extras, in file order."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    extras = data["project"]["optional-dependencies"]
    return [req for name in EXTRAS for req in extras[name]]


def python_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The Python minor version the project accepts, from requires-python (">=3.11,<3.12")."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    spec = data["project"]["requires-python"]
    lower = next(part for part in spec.split(",") if part.strip().startswith(">="))
    return lower.strip()[2:]


def render(*, editable: bool, comment: str) -> str:
    lines = [
        HEADER.rstrip("\n"),
        f"# {comment}",
        "name: paramlab",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python_version()}",
        "  - pip",
        "  - pip:",
    ]
    lines += [f'      - "{req}"' for req in pinned_requirements()]
    if editable:
        lines.append("      - -e .")
    return "\n".join(lines) + "\n"


TARGETS = {
    ROOT / "environment.yml": render(
        editable=True,
        comment="conda env create -f environment.yml  (installs the paramlab package editable too)",
    ),
    ROOT / "binder" / "environment.yml": render(
        editable=False,
        comment="Read by repo2docker; binder/postBuild installs the paramlab package.",
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail when a file has drifted")
    args = parser.parse_args(argv)
    stale = [
        path
        for path, text in TARGETS.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is out of date with pyproject.toml: run `make pins`")
        return 1 if stale else 0
    for path in stale:
        path.write_text(TARGETS[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
