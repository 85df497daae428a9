"""The Python packages of the browser edition: pinned wheels, fetched once, and Pyodide's lock
regenerated for exactly them.

Pyodide's npm package is its core only (the interpreter and the standard library). Its
`pyodide-lock.json` names 356 packages that a default JupyterLite build fetches from a CDN, and
the kernel installs several of them at start (micropip, IPython and what it needs, jedi). The
course serves them itself instead: the pure-Python wheels of the versions the lock names (plus
comm and ipywidgets, which the kernel and the widgets need, and paramlab as a pure wheel),
pinned with their sha256 in `lite/wheels.txt`. Those wheels come from PyPI, not from Pyodide's
own builds, so their hashes differ from the npm lock's: the build writes a new lock that lists
exactly the wheels it holds, each with its own hash, and nothing else (a package the lock does
not list cannot be fetched from anywhere).

    python -m tools.lite_wheels --pin   # rewrite lite/wheels.txt (after a Pyodide upgrade)
"""

from __future__ import annotations

import argparse
import email.parser
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tools.notebook_parts import ROOT

LITE = ROOT / "lite"
PYODIDE_NPM = LITE / "node_modules" / "pyodide"
WHEELS_TXT = LITE / "wheels.txt"
PYTHON_VERSION = "3.14"
"""Pyodide 314's Python: the wheels are chosen for it."""

KERNEL_NEEDS = ("micropip", "ipython", "jedi")
"""What the Pyodide kernel installs at start from Pyodide's lock (with what they depend on)."""
ALSO = {"comm": "0.2.3"}
"""Pure packages the kernel needs that Pyodide's lock lacks (pyodide-kernel requires comm)."""
COURSE_PINS = ("ipywidgets",)
"""Taken at the version the full course pins in pyproject.toml."""
LEFT_OUT = {
    "ipywidgets": {"jupyterlab-widgets", "widgetsnbextension"},  # the front end's, not Python's
    "paramlab": {"keras", "numpy"},  # the full course's: the browser edition runs without them
}
"""Requirements a wheel declares that the browser edition does not install, and why."""
PARAMLAB_DEPENDS = ("ipywidgets",)
"""What paramlab needs in the browser: the widgets (its formula core is the standard library)."""


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def npm_lock() -> dict:
    path = PYODIDE_NPM / "pyodide-lock.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"Pyodide's npm package is not installed: {path} is missing. "
            "Run `npm ci --prefix lite` (make lite does)."
        )
    return json.loads(path.read_text())


def course_pin(name: str) -> str:
    text = (ROOT / "pyproject.toml").read_text()
    found = re.search(rf'"{re.escape(name)}==([^";]+)"', text)
    if not found:
        raise ValueError(f"pyproject.toml pins no {name}. Received: name={name!r}")
    return found.group(1)


def pinned_versions(lock: dict) -> dict[str, str]:
    """name -> version: what the kernel needs, closed over Pyodide's lock, plus the extras."""
    packages = {normalize(k): v for k, v in lock["packages"].items()}
    wanted: dict[str, str] = {}
    todo = list(KERNEL_NEEDS)
    while todo:
        name = normalize(todo.pop())
        if name not in wanted:
            wanted[name] = packages[name]["version"]
            todo += packages[name]["depends"]
    wanted.update(ALSO)
    wanted.update({name: course_pin(name) for name in COURSE_PINS})
    return dict(sorted(wanted.items()))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pip_download(args: list[str], dest: Path) -> None:
    subprocess.run(
        [
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
            "--no-deps", "--only-binary=:all:", "--python-version", PYTHON_VERSION,
            "--dest", str(dest), *args,
        ],
        check=True,
    )  # fmt: skip


def pin() -> Path:
    """Rewrite lite/wheels.txt: each wheel's version and the sha256 of the file PyPI serves."""
    versions = pinned_versions(npm_lock())
    with tempfile.TemporaryDirectory() as tmp:
        pip_download([f"{n}=={v}" for n, v in versions.items()], Path(tmp))
        hashes = {normalize(w.name.split("-")[0]): sha256(w) for w in Path(tmp).glob("*.whl")}
    lines = [
        "# The browser edition's wheels (python -m tools.lite_wheels --pin writes this file):",
        "# the versions Pyodide's lock names for what its kernel installs, comm, and the course's",
        "# ipywidgets; sha256 of the pure wheels PyPI serves for Python 3.14.",
        *(f"{n}=={v} --hash=sha256:{hashes[n]}" for n, v in versions.items()),
    ]
    WHEELS_TXT.write_text("\n".join(lines) + "\n")
    return WHEELS_TXT


def download(dest: Path) -> list[Path]:
    """The pinned wheels in `dest` (pip checks every hash; files already there are reused)."""
    dest.mkdir(parents=True, exist_ok=True)
    pip_download(["--require-hashes", "-r", str(WHEELS_TXT)], dest)
    names = {normalize(line.split("==")[0]) for line in _pins()}
    wheels = [w for w in sorted(dest.glob("*.whl")) if normalize(w.name.split("-")[0]) in names]
    if len(wheels) != len(names):
        raise RuntimeError(f"expected {len(names)} wheels in {dest}, found {len(wheels)}")
    return wheels


def _pins() -> list[str]:
    return [ln for ln in WHEELS_TXT.read_text().splitlines() if ln and not ln.startswith("#")]


def paramlab_wheel(dest: Path) -> Path:
    """paramlab as a pure wheel, built from a copy of the sources (nothing written in the repo)."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("paramlab-*.whl"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(
            ROOT / "widgets", src / "widgets", ignore=shutil.ignore_patterns("__pycache__")
        )
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, src / name)
        subprocess.run(
            [
                sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
                "--no-deps", "--wheel-dir", str(dest), str(src),
            ],
            check=True,
        )  # fmt: skip
    (wheel,) = dest.glob("paramlab-*-py3-none-any.whl")
    return wheel


def _metadata(wheel: Path) -> tuple[str, str, list[str], list[str]]:
    """(name, version, requirement names without extras, top-level import names)."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        msg = email.parser.Parser().parsestr(zf.read(meta).decode())
        top = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        imports = zf.read(top).decode().split() if top else []
    if not imports:
        imports = sorted({n.split("/")[0] for n in names if n.count("/") == 1 and
                          n.endswith("/__init__.py")})  # fmt: skip
    requires = [
        re.split(r"[\s;<>=!~\[(]", r, maxsplit=1)[0]
        for r in msg.get_all("Requires-Dist") or []
        if "extra ==" not in r
    ]
    return msg["Name"], msg["Version"], requires, imports


def regenerated_lock(wheels: list[Path]) -> dict:
    """Pyodide's lock for exactly `wheels`: Pyodide's own entry where it has one (its imports and
    dependencies), with the file and hash of the wheel the build holds."""
    base = npm_lock()
    known = {normalize(k): v for k, v in base["packages"].items()}
    held = {normalize(_metadata(w)[0]): w for w in wheels}
    packages: dict[str, dict] = {}
    for key, wheel in sorted(held.items()):
        _, version, requires, imports = _metadata(wheel)
        if key in known:
            entry = dict(known[key])
            if entry["version"] != version:
                raise ValueError(
                    f"{wheel.name} is not the version Pyodide's lock names ({entry['version']}). "
                    f"Received: version={version!r}"
                )
        else:
            kept = {normalize(r) for r in requires} - LEFT_OUT.get(key, set())
            depends = sorted(PARAMLAB_DEPENDS) if key == "paramlab" else sorted(kept)
            missing = set(depends) - set(held)
            if missing:
                raise ValueError(
                    f"{wheel.name} needs packages the browser edition does not hold. "
                    f"Received: missing={sorted(missing)}"
                )
            entry = {"name": key, "version": version, "depends": depends, "imports": imports,
                     "install_dir": "site", "package_type": "package"}  # fmt: skip
        entry.update(file_name=wheel.name, sha256=sha256(wheel), unvendored_tests=False)
        packages[key] = dict(sorted(entry.items()))
    for key, entry in packages.items():
        missing = {normalize(d) for d in entry["depends"]} - set(packages)
        if missing:
            raise ValueError(
                f"{key} depends on packages the browser edition does not hold. "
                f"Received: missing={sorted(missing)}"
            )
    return {"info": base["info"], "packages": packages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pin", action="store_true", help="rewrite lite/wheels.txt")
    args = parser.parse_args(argv)
    if args.pin:
        print(f"wrote {pin().relative_to(ROOT)}")
    else:
        parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
