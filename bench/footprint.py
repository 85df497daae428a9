"""What the pinned set costs on disk: the installed .venv, and the download of every wheel in it.

The download is measured by fetching the exact versions installed in .venv (`pip freeze`, the
pins and everything they pull in) into a temporary folder with `pip download --no-deps`.

    make bench      # or: .venv/bin/python bench/footprint.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def size_mb(path: Path) -> float:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    )


def main() -> int:
    venv = Path(sys.prefix)
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp, *freeze],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        download = size_mb(Path(tmp))
        wheels = len(list(Path(tmp).iterdir()))
    print(f"installed environment ({venv.name}): {size_mb(venv):,.0f} MB")
    print(f"download of the pinned set: {download:,.0f} MB in {wheels} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
