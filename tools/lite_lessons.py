"""The browser edition's lessons: each course notebook (the lessons, the appendices and the cheat
sheet) turned into its JupyterLite twin by one rule, never edited by hand.

The browser's kernel (Pyodide) has no keras, tensorflow, numpy, matplotlib, scipy, PIL or
torch. The rule, cell by cell, top to bottom (`tools.lite_reach` reads the code's syntax):

1. A code cell is LIVE (stays a code cell and runs in the browser) when every top-level
   statement of it can run there: none imports a missing module, none loads a name bound by
   such an import or by a cell that is not live, none loads `paramlab.explain` or
   `paramlab.compare` (the Keras bridge). A function whose body needs such a name only needs
   it when called: calling it makes a statement unavailable, passing it as the `reveal` of
   `paramlab.Predict(...)` does not (in the browser a Predict never calls its reveal; it shows
   its `formula=` figure). Decorators and default arguments run when defined, and are checked.
2. The set-up cell (the first code cell) is the one cell cut statement by statement: its imports
   of missing modules and any other statement the browser cannot run are left out (exact text
   of the rest, with its comments), and two lines at its top set `JPY_SESSION_NAME` to the
   notebook's file name, so paramlab knows which lesson records the learner's answers. What it
   left out, other than imports, follows it as a static cell with the set-up's stored output.
   Any other cell is live whole, or static whole.
3. A STATIC cell becomes a markdown cell: the caption "*Ran with Keras in the full course; its
   output as stored there:*", its code (folded in `<details>` when its source was hidden, so no
   answer shows), and its stored outputs as JupyterLab would show them (`tools.lite_cells`).
   Its tags and slide type stay; its id is the original's with `-static`.
4. Live cells keep their source and stored outputs exactly (a question's stand-in says to run
   it); markdown cells stay as they are. The kernel is JupyterLite's Pyodide kernel, and
   `metadata.paramlab` says `{"edition": "lite", "source": <file name>}`.
5. A short markdown cell first says what this edition is and links to the full course (Binder
   when the checkout has a public remote, and `make lab`).
6. A cell that calls one of paramlab's widgets (a name of `paramlab._LAZY` under `paramlab.ui`:
   explorers, pictures, questions) must be live: if the rule would make one static,
   `lite_notebook` raises ValueError naming the notebook, the cell and the name it lacks.

    python -m tools.lite_lessons OUT_DIR     # writes every lesson under its own file name
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import sys
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager

from paramlab.core import links
from tools.lite_cells import cut, lines, static_cell, text
from tools.lite_reach import Reach, bound_names, cell_needs, widget_calls
from tools.notebook_parts import NOTEBOOKS, course_notebooks

KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
INTRO_ID = "lite-edition"
SESSION = (
    "# The browser edition tells paramlab which lesson records your answers.\n"
    "import os\n"
    'os.environ["JPY_SESSION_NAME"] = {name}\n'
)
FULL_COURSE = (
    "# ... and where the full course is, for its links to Binder.\n"
    'os.environ["{remote_env}"], os.environ["{ref_env}"] = {remote}, {ref}\n'
)


def session_lines(name: str, remote: str | None, ref: str) -> str:
    """The lines the set-up cell starts with: the lesson's name (its answers are recorded under
    it) and, when the course has a public remote, where the full course is."""
    lines_ = SESSION.format(name=json.dumps(name))
    if remote is not None:
        lines_ += FULL_COURSE.format(
            remote_env=links.REMOTE_ENV, ref_env=links.REF_ENV,
            remote=json.dumps(remote), ref=json.dumps(ref),
        )  # fmt: skip
    return lines_ + "\n"


def parsed(source: str) -> ast.Module:
    """A cell's code as Python (IPython's `%magic` and `!command` lines as the calls they are)."""
    return ast.parse(TransformerManager().transform_cell(source))


def intro_cell(name: str, remote: str | None, ref: str) -> dict:
    if remote is not None:
        binder = links.binder_link(remote, ref, f"notebooks/{name}")
        full = f"open [this notebook on Binder]({binder}) or clone the course and run `make lab`"
    else:
        full = "clone the course and run `make lab`"
    source = (
        "**The browser edition.** This notebook runs in your browser (JupyterLite, on Pyodide): "
        "nothing to install, and nothing you type is sent anywhere. Its explorers, pictures and "
        "questions are live, and your answers are kept in this browser. Keras is not here: a "
        "cell marked *Ran with Keras in the full course* shows the output the full course "
        "stored, and an explorer's Keras check runs there. For the full course, with Keras, "
        f"{full}."
    )
    metadata = {"paramlab": {"edition": "lite"}}
    return {"cell_type": "markdown", "id": INTRO_ID, "metadata": metadata, "source": source}


def setup_cells(cell: dict, name: str, reach: Reach, session: str) -> list[dict]:
    """The set-up cell without what the browser cannot run, then (if more than imports were
    left out) a static cell showing the rest with the set-up's stored output."""
    source = text(cell["source"])
    statements = parsed(source).body
    keep = []
    for stmt in statements:
        trial = reach.copy()
        runs = trial.run(stmt) is None
        if runs:
            reach.lacking, reach.deferred = trial.lacking, trial.deferred
        else:
            reach.lack(bound_names(stmt))
        keep.append(runs)
    imports = [isinstance(s, ast.Import | ast.ImportFrom) for s in statements]
    shown = [not k and not i for k, i in zip(keep, imports, strict=True)]
    live = copy.deepcopy(cell)
    live["source"] = lines(session + cut(source, statements, keep))
    if not any(shown):
        return [live]
    live["outputs"], live["execution_count"] = [], None
    rest = {**copy.deepcopy(cell), "source": cut(source, statements, shown)}
    return [live, static_cell(rest)]


def lite_notebook(nb: dict, name: str, *, remote: str | None = None, ref: str = "main") -> dict:
    """The browser edition of notebook `nb` (JSON in, JSON out), saved as file `name`.
    `remote` and `ref` give the full course's Binder link (no link when `remote` is None)."""
    reach = Reach()
    cells = [intro_cell(name, remote, ref)]
    first_code = next((i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"), None)
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            cells.append(copy.deepcopy(cell))
            continue
        if index == first_code:
            cells.extend(setup_cells(cell, name, reach, session_lines(name, remote, ref)))
            continue
        tree = parsed(text(cell["source"]))
        need = cell_needs(reach, tree)
        if need is None:
            cells.append(copy.deepcopy(cell))
            continue
        if widgets := widget_calls(tree):
            raise ValueError(
                f"The browser edition would show {name}'s cell {cell.get('id')} as a static "
                f"copy, but it shows paramlab.{widgets[0]}, which must run live there: the cell "
                f"needs `{need}`, which the browser lacks (a module it has not, or a name bound "
                "by a cell that runs only in the full course). Received: "
                f"notebook={name!r}, cell={cell.get('id')!r}, name={need!r}"
            )
        cells.append(static_cell(cell))
    metadata = copy.deepcopy(nb.get("metadata", {}))
    metadata["kernelspec"] = dict(KERNELSPEC)
    info = {k: v for k, v in metadata.get("language_info", {}).items() if k != "version"}
    metadata["language_info"] = {**info, "name": "python"}
    metadata["paramlab"] = {"edition": "lite", "source": name}
    return {**copy.deepcopy(nb), "metadata": metadata, "cells": cells}


def is_static(cell: dict) -> bool:
    """A cell the rule turned into its static copy."""
    return cell.get("metadata", {}).get("paramlab", {}).get("ran_with") == "keras"


def dumps(nb: dict) -> str:
    """A notebook's JSON as nbformat writes it."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write_lessons(
    out_dir: Path, source: Path = NOTEBOOKS, *, remote: str | None = None, ref: str | None = None
) -> list[Path]:
    """Write the browser edition of every course notebook in `source` into `out_dir`, each under
    its own file name; return the files written. The Binder link is this checkout's (its
    `origin` and branch, as the site's) unless `remote` or `ref` is given (`ref` alone: none)."""
    if remote is None and ref is None:
        from tools.course_site import launch_of_checkout  # the site's rule for public remotes

        launch = launch_of_checkout()
        remote, ref = launch.remote, launch.ref
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in course_notebooks(source):
        nb = json.loads(path.read_text(encoding="utf-8"))
        target = out_dir / path.name
        target.write_text(dumps(lite_notebook(nb, path.name, remote=remote, ref=ref or "main")))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="the folder to write the lessons into")
    args = parser.parse_args(argv)
    for path in write_lessons(args.out_dir):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        live = sum(c["cell_type"] == "code" for c in cells)
        print(f"{path}: {live} live code cells, {sum(map(is_static, cells))} static")
    return 0


if __name__ == "__main__":
    sys.exit(main())
