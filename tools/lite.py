"""make lite: the course in the browser alone, a JupyterLite site in build/lite/.

Every lesson, appendix and the cheat sheet, under its own file name, generated from the course's
notebooks by one rule (`tools.lite_lessons`), runs in the learner's browser on Pyodide: no
install, no server, nothing sent anywhere. `build/lite/lab/index.html?path=01_dense.ipynb`
opens lesson 01.

Self-hosted and offline: nothing is fetched from anywhere but the folder it is served from.
- JupyterLab in the browser and its Pyodide kernel: jupyterlite-core and
  jupyterlite-pyodide-kernel, pinned in pyproject.toml's `lite` extra;
- the two front-end extensions the lessons need (the kernel's and ipywidgets'), from this
  environment, nothing else from it (no ipympl, no slides: the lite lessons use neither);
- Pyodide itself, from its npm package at the version the kernel names (lite/package-lock.json;
  `npm ci --prefix lite`), core files only;
- the kernel's Python packages, ipywidgets and paramlab as wheels beside it, and a lock that
  lists exactly those (`tools.lite_wheels`).

Built once per call into a fresh folder; `build/site/` and `build/lite/` deploy together as one
static folder (the site links here relatively).

    make lite          # or: python -m tools.lite [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tools import lite_lessons, lite_wheels
from tools.notebook_parts import ROOT

OUT = ROOT / "build" / "lite"
WORK = ROOT / "build" / "lite-work"
"""Staging (the JupyterLite project folder, the lessons) and the cache of downloaded wheels."""
CONFIG = lite_wheels.LITE / "jupyter-lite.json"
OVERRIDES = ROOT / "binder" / "overrides.json"
"""JupyterLab's settings for the course (no news pop-up), as for `make lab` and Binder."""
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
"""What the kernel loads of Pyodide's npm package (its worker imports the ES module)."""
EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager")
"""The front-end extensions the lite lessons need, taken from this environment."""
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
LITE_ONLY = Path(sys.prefix) / "share" / "paramlab-lite"
"""Where make keeps the Pyodide kernel's extension: in JupyterLab's own folder it would load in
the course's JupyterLab too, and fail there (it needs JupyterLite's services)."""
KERNEL_WHEELS = (
    "piplite-0.8.6-py3-none-any.whl",
    "pyodide_kernel-0.8.6-py3-none-any.whl",
    "ipykernel-6.9.2-py3-none-any.whl",
)
"""The kernel's own wheels (jupyterlite-pyodide-kernel 0.8.6), preloaded with the rest."""


def labextension(name: str) -> Path:
    """A JupyterLab extension of this environment: where JupyterLab finds it, or (the Pyodide
    kernel's) where make keeps it out of the course's own JupyterLab (`LITE_ONLY`)."""
    path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name
    if not path.is_dir() and (LITE_ONLY / name).is_dir():
        path = LITE_ONLY / name
    if not (path / "package.json").is_file():
        raise FileNotFoundError(
            f"The JupyterLab extension {name} is not installed in {sys.prefix}. "
            "Install the lite extra: pip install -e '.[course,lite]' (make lite does)."
        )
    return path


def kernel_wheels() -> list[Path]:
    """The kernel's own Python side (piplite, pyodide-kernel, its ipykernel stand-in), from its
    extension: in the lock too, so Pyodide loads them with the rest while it starts, instead of
    the kernel installing them one by one afterwards."""
    pypi = labextension(EXTENSIONS[0]) / "static" / "pypi"
    missing = [wheel for wheel in KERNEL_WHEELS if not (pypi / wheel).is_file()]
    if missing:
        raise FileNotFoundError(
            f"The Pyodide kernel's extension lacks its wheels (another release?). Received: "
            f"missing={missing} in {pypi}"
        )
    return [pypi / wheel for wheel in KERNEL_WHEELS]


def stage_pyodide(static: Path, wheels: list[Path]) -> Path:
    """Pyodide's core files, the wheels and their regenerated lock, in `static`/pyodide."""
    target = static / "pyodide"
    target.mkdir(parents=True)
    for name in PYODIDE_CORE:
        shutil.copy(lite_wheels.PYODIDE_NPM / name, target / name)
    for wheel in wheels:
        shutil.copy(wheel, target / wheel.name)
    lock = lite_wheels.regenerated_lock(wheels)
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return target


def check_config(out: Path) -> dict:
    """The built site's kernel settings, refused unless Pyodide and every package it preloads
    are served from the site itself."""
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"][KERNEL_PLUGIN]
    url = kernel.get("pyodideUrl", "")
    if not url.startswith("./static/pyodide/"):
        raise RuntimeError(f"The site loads Pyodide from elsewhere. Received: pyodideUrl={url}")
    lock = json.loads((out / "static" / "pyodide" / "pyodide-lock.json").read_text())
    for name in kernel["loadPyodideOptions"]["packages"]:
        entry = lock["packages"][lite_wheels.normalize(name)]
        if not (out / "static" / "pyodide" / entry["file_name"]).is_file():
            raise RuntimeError(f"The site's lock names a wheel it lacks: {entry['file_name']}")
    if not kernel.get("disablePyPIFallback"):
        raise RuntimeError("The site's kernel would fall back to PyPI for a missing package.")
    return config


def build(out: Path = OUT, work: Path = WORK, settings: dict | None = None) -> Path:
    """Write the JupyterLite site into `out` (emptied first); return `out`. JupyterLab's
    settings are the course's (binder/overrides.json), updated with `settings` (the tests')."""
    started = time.perf_counter()
    wheels = lite_wheels.download(work / "wheels")
    wheels.append(lite_wheels.paramlab_wheel(work / "paramlab-wheel"))
    wheels += kernel_wheels()
    project, contents = work / "project", work / "contents"
    for folder in (project, contents, out):
        shutil.rmtree(folder, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copy(CONFIG, project / "jupyter-lite.json")
    overrides = json.loads(OVERRIDES.read_text(encoding="utf-8"))
    (project / "overrides.json").write_text(json.dumps({**overrides, **(settings or {})}))
    stage_pyodide(project / "static", wheels)
    lessons = lite_lessons.write_lessons(contents)
    command = [
        str(Path(sys.executable).with_name("jupyter-lite")), "build",
        "--lite-dir", str(project), "--output-dir", str(out), "--contents", str(contents),
        "--apps", "lab", "--no-sourcemaps", "--no-unused-shared-packages", "--ignore-sys-prefix",
        *(f"--LiteBuildConfig.federated_extensions={labextension(name)}" for name in EXTENSIONS),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise RuntimeError(f"jupyter lite build failed (exit {result.returncode})")
    check_config(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"wrote {out} ({len(lessons)} lessons, {size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    args = parser.parse_args(argv)
    build(args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
