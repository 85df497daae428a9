"""The course's cost: nbval wall time against bare kernel starts, and peak memory per kernel.

Both goals are ratios to a kernel that only imports keras, measured in the same run:

1. Execution: the whole `pytest --nbval notebooks` run, against (a kernel start that only imports
   keras) x (number of notebooks). Goal: ratio at most 1.5. The notebooks must pass, too.
2. Memory: each notebook executed top to bottom in its own kernel; the kernel's peak resident
   memory (VmHWM, read from /proc before shutdown), against the peak of the bare keras kernel.
   Goal: at most the bare kernel's peak + 120 MB (what a lesson may add on top of TensorFlow;
   Binder gives about 2 GB and a learner often has two notebooks open).

The kernels record their questions in a throw-away progress record.

    make bench      # or: .venv/bin/python -m bench.course [--only 06] [--no-nbval]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from bench._common import QUIET, ROOT, Results, describe, machine
from paramlab.records._progress import scratch_record
from tools.notebook_parts import course_notebooks

RATIO_GOAL = 1.5
MEMORY_MARGIN_MB = 120
BARE_RUNS = 3


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


def nbval(notebooks: list[Path]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            *[str(p.relative_to(ROOT)) for p in notebooks],
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="notebook prefixes, e.g. 05 06")
    parser.add_argument("--no-nbval", action="store_true", help="measure memory only")
    args = parser.parse_args(argv)
    os.environ.update(QUIET)
    notebooks = [p for p in course_notebooks() if not args.only or p.name[:2] in args.only]
    print(f"machine: {describe(machine())}")
    with scratch_record(), Results("course") as results:
        bare_runs = [run_in_kernel(keras_only()) for _ in range(BARE_RUNS)]
        bare = statistics.median(t for t, _ in bare_runs)
        print(f"bare kernel start + import keras: {bare:.1f} s (median of {BARE_RUNS})")
        if not args.no_nbval:
            measure_nbval(results, notebooks, bare)
        peaks = notebook_peaks(notebooks)
        # One more bare kernel after the notebooks: the floor is the median of all bare kernels.
        bare_runs.append(run_in_kernel(keras_only()))
        measure_memory(results, peaks, [p for _, p in bare_runs])
        return results.finish()


def measure_nbval(results: Results, notebooks: list[Path], bare: float) -> None:
    """Goal 1: nbval over the notebooks against as many bare kernel starts; they must pass."""
    seconds, done = nbval(notebooks)
    ratio = seconds / (bare * len(notebooks))
    print(
        f"nbval over {len(notebooks)} notebooks: {seconds:.1f} s; ratio to "
        f"{len(notebooks)} bare starts: {ratio:.2f} (goal <= {RATIO_GOAL})"
    )
    results.add(
        f"nbval time / ({len(notebooks)} x bare keras kernel start)",
        ratio,
        at_most=RATIO_GOAL,
        detail=f"{seconds:.1f} s / ({len(notebooks)} x {bare:.1f} s)",
    )
    summary_line = (done.stdout.strip().splitlines() or ["(no output)"])[-1]
    if done.returncode != 0:
        print(done.stdout[-3000:])
    results.add(
        f"nbval over the {len(notebooks)} notebooks",
        None,
        shown="pass" if done.returncode == 0 else f"FAIL: {summary_line}"[:60],
        goal="all pass",
        passed=done.returncode == 0,
        detail=summary_line,
    )


def notebook_peaks(notebooks: list[Path]) -> dict[str, float | Exception]:
    """Each notebook top to bottom in its own kernel: its peak memory in MB, or its error."""
    print(f"{'notebook':<34}{'seconds':>8}{'peak MB':>9}")
    peaks: dict[str, float | Exception] = {}
    for path in notebooks:
        try:
            seconds, peak = run_in_kernel(nbformat.read(path, as_version=4))
        except CellExecutionError as err:
            peaks[path.stem] = err
            print(f"{path.stem:<34}  failed: {str(err).strip().splitlines()[-1][:60]}")
            continue
        peaks[path.stem] = peak
        print(f"{path.stem:<34}{seconds:>8.1f}{peak:>9.0f}")
    return peaks


def measure_memory(
    results: Results, peaks: dict[str, float | Exception], bare_peaks: list[float]
) -> None:
    """Goal 2: each notebook's peak at most the bare keras kernel's (the median) + the margin."""
    bare_peak = statistics.median(bare_peaks)
    print(
        f"{'(kernel that only imports keras)':<34}{'':>8}{bare_peak:>9.0f}"
        f"   (median of {', '.join(f'{p:.0f}' for p in bare_peaks)})"
    )
    results.add("peak memory (VmHWM), bare keras kernel", bare_peak, "MB", digits=0)
    for stem, peak in peaks.items():
        name = f"peak memory - bare, {stem}"
        if isinstance(peak, Exception):
            results.add(
                name,
                None,
                shown="notebook failed",
                goal=f"<= {MEMORY_MARGIN_MB} MB",
                passed=False,
                detail=str(peak).strip().splitlines()[-1],
            )
            continue
        margin = peak - bare_peak
        results.add(
            name,
            margin,
            "MB",
            at_most=MEMORY_MARGIN_MB,
            shown=f"{margin:+.0f} MB ({peak:.0f} vs {bare_peak:.0f})",
            detail=f"peak {peak:.0f} MB, bare keras kernel {bare_peak:.0f} MB",
        )
    measured = [(p - bare_peak, s) for s, p in peaks.items() if not isinstance(p, Exception)]
    for margin, stem in measured:
        print(f"{stem:<34}{'':>8}{margin:>+9.0f}  (peak - bare)")
    if measured:
        worst, stem = max(measured)
        print(
            f"worst: {stem} at bare + {worst:.0f} MB (goal <= bare + {MEMORY_MARGIN_MB} MB, "
            f"bare = {bare_peak:.0f} MB)"
        )


if __name__ == "__main__":
    sys.exit(main())
