"""Re-execute every course notebook top to bottom in a fresh kernel and save it clean.

Clean means: kernelspec python3, no execution timing metadata, no saved widget state (it would
be stale the moment the notebook is opened), paramlab's widgets saved as their static stand-ins
only (as the course's save hook saves them in JupyterLab), execution counts 1, 2, 3, ...
The kernels record their questions in a throw-away progress record, and every question stores
its answer key (never shown) with its output.

    make notebooks      # or: python -m tools.run_notebooks [notebooks/01_dense.ipynb ...]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from paramlab.records._progress import scratch_record
from paramlab.ui._save_hook import strip_live_views
from paramlab.ui.questions.predict import ANSWER_KEY_ENV
from tools.notebook_parts import NOTEBOOKS, course_notebooks

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    # language_info stays whole, as the kernel reported it (JupyterLab writes the kernel's into
    # the notebook when the kernel starts: anything else there opens the notebook as modified)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("collapsed", None)
        cell.metadata.pop("scrolled", None)
    strip_live_views(nb)
    return nb


def run(path: Path, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        record_timing=False,
        store_widget_state=False,
    ).execute()
    nbformat.write(clean(nb), path)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--timeout", type=int, default=600)
    args = parser.parse_args(argv)
    # Each question stores its answer key with its output (tests/test_no_answer_before.py): a
    # Predict whose figure is a function computes it for that, in these kernels only.
    os.environ[ANSWER_KEY_ENV] = "1"
    with scratch_record():
        for path in args.notebooks or course_notebooks():
            print(f"{path.name}: {run(path, args.timeout):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
