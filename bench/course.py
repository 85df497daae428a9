"""The course's cost: nbval wall time against bare kernel starts, and peak memory per kernel.

1. Execution: the whole `pytest --nbval notebooks` run, against (a kernel start that only imports
   keras) x (number of notebooks), both measured here in one run. Goal: ratio at most 1.5.
2. Memory: each notebook executed top to bottom in its own kernel; the kernel's peak resident
   memory (VmHWM, read from /proc before shutdown). Goal: at most 700 MB per kernel (Binder gives
   about 2 GB and a learner often has two notebooks open).

    make bench      # or: .venv/bin/python bench/course.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
RATIO_GOAL, MEMORY_GOAL_MB = 1.5, 700


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def run_in_kernel(nb: nbformat.NotebookNode) -> tuple[float, float]:
    """Execute `nb` in a fresh kernel: (seconds, peak RSS in MB of the kernel process)."""
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.pid
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        peak = peak_rss_mb(pid)
    return time.perf_counter() - start, peak


def keras_only() -> nbformat.NotebookNode:
    """A notebook that only silences TensorFlow and imports keras: the floor of every lesson."""
    source = f"import os\nos.environ.update({QUIET!r})\nimport keras"
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])


def main() -> int:
    os.environ.update(QUIET)
    bare = sorted(run_in_kernel(keras_only())[0] for _ in range(3))[1]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "notebooks", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    nbval = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stdout[-2000:])
        return 1
    ratio = nbval / (bare * len(NOTEBOOKS))
    print(f"bare kernel start + import keras: {bare:.1f} s (median of 3)")
    print(
        f"nbval over {len(NOTEBOOKS)} notebooks: {nbval:.1f} s; ratio to "
        f"{len(NOTEBOOKS)} bare starts: {ratio:.2f} (goal <= {RATIO_GOAL})"
    )
    worst = 0.0
    print(f"{'notebook':<28}{'seconds':>8}{'peak MB':>9}")
    for path in NOTEBOOKS:
        seconds, peak = run_in_kernel(nbformat.read(path, as_version=4))
        worst = max(worst, peak)
        print(f"{path.stem:<28}{seconds:>8.1f}{peak:>9.0f}")
    _, bare_peak = run_in_kernel(keras_only())
    print(f"{'(kernel that only imports keras)':<28}{'':>8}{bare_peak:>9.0f}")
    print(f"worst peak: {worst:.0f} MB (goal <= {MEMORY_GOAL_MB} MB)")
    return 0 if ratio <= RATIO_GOAL and worst <= MEMORY_GOAL_MB else 1


if __name__ == "__main__":
    sys.exit(main())
