"""What the pinned set costs on disk: the installed .venv, and the download of every wheel in it.

The download is measured by fetching the exact versions installed in .venv (`pip list
--format=freeze`: the pins and everything they pull in, as name==version even for a package
installed from a file) into a temporary folder with `pip download --no-deps`.

    make bench      # or: .venv/bin/python -m bench.footprint
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from bench._common import Results


def size_mb(path: Path) -> float:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    )


def main() -> int:
    with Results("footprint") as results:
        return measure(results)


def measure(results: Results) -> int:
    venv = Path(sys.prefix)
    installed = size_mb(venv)
    print(f"installed environment ({venv.name}): {installed:,.0f} MB")
    results.add(f"installed {venv.name}", installed, "MB", digits=0)
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, *freeze],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pip download failed: {done.stderr.strip()[-500:]}")
        download = size_mb(Path(tmp))
        wheels = len(list(Path(tmp).iterdir()))
    print(f"download of the pinned set: {download:,.0f} MB in {wheels} files")
    results.add(f"download of the pinned set ({wheels} files)", download, "MB", digits=0)
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
