"""Write learner handouts of the course notebooks: no worked solutions, no instructor notes.

For every notebook (default: notebooks/*.ipynb) a handout goes to build/handouts/<name>.ipynb:
cells tagged `solution` or `instructor` removed, outputs cleared, execution counts reset; the
question cells (paramlab.Quiz / Choice / Predict) and every cell's metadata (`source_hidden`)
kept. Then, for printing, build/handouts/html/<name>.html: the handout executed in a temporary
copy (so the page shows the lesson's computed outputs and the questions' static stand-ins) and
exported with nbconvert's lab template, without the input of source-hidden cells (a question
cell's source holds its answer). build/handouts/index.html lists the handouts. For the course
(no notebooks named), the instructor edition goes beside them, in build/instructor/ (the
notebooks with their speaker notes, `tools/editions.py`): never inside the learners' folder.

A notebook whose "## Worked solutions" cell, or the code cell right after it (the asserts that
check the answers), is not tagged `solution` is refused before anything is written: an untagged
solution never reaches a handout. `--tag` adds those tags in place (idempotent).

    make handouts                                   # or: python -m tools.handouts
    python -m tools.handouts --no-html              # notebooks only, no kernel runs
    python -m tools.handouts --tag notebooks/*.ipynb

The kernels that run the handouts record their questions in a throw-away progress record.
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbconvert import HTMLExporter

from paramlab.records._progress import scratch_record
from paramlab.ui._save_hook import strip_live_views
from tools import editions
from tools.notebook_parts import (
    INSTRUCTOR,
    QUESTION,
    ROOT,
    LearnerPage,
    course_notebooks,
    tags,
    title_of,
)

OUT = ROOT / "build" / "handouts"

SOLUTION = "solution"
REMOVED_TAGS = frozenset({SOLUTION, INSTRUCTOR})
WORKED_SOLUTIONS = re.compile(
    r"^[ \t]*#{1,6}[ \t]*Worked solutions\b", re.IGNORECASE | re.MULTILINE
)


class HandoutError(Exception):
    """A notebook that cannot become a handout (an untagged solution, a failing cell)."""


def is_question(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and QUESTION.search(cell.source) is not None


def solution_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices of the cells that must carry the `solution` tag: every markdown cell with a
    "## Worked solutions" heading, and the code cell right after it (its checking asserts;
    speaker notes, tagged `instructor`, may stand between them)."""
    found: list[int] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown" or not WORKED_SOLUTIONS.search(cell.source):
            continue
        found.append(index)
        following = index + 1
        while following < len(nb.cells) and INSTRUCTOR in tags(nb.cells[following]):
            following += 1
        if following < len(nb.cells) and nb.cells[following].cell_type == "code":
            found.append(following)
    return sorted(set(found))


def first_line(cell: nbformat.NotebookNode) -> str:
    return (cell.source.splitlines() or [""])[0][:40]


def untagged_solutions(nb: nbformat.NotebookNode) -> list[int]:
    return [i for i in solution_cells(nb) if SOLUTION not in tags(nb.cells[i])]


def check_tagged(nb: nbformat.NotebookNode, name: str) -> None:
    """Refuse a notebook whose worked solutions are not all tagged `solution`."""
    missing = untagged_solutions(nb)
    if missing:
        cells = ", ".join(
            f"cell {i} ({nb.cells[i].cell_type}: {first_line(nb.cells[i])!r})" for i in missing
        )
        raise HandoutError(
            f"{name}: worked solutions not tagged `{SOLUTION}`: {cells}. The handout would show "
            f"the answers. Tag them (python -m tools.handouts --tag {name}) and run again."
        )


def tag_solutions(nb: nbformat.NotebookNode) -> int:
    """Add the `solution` tag to the cells `solution_cells` names; returns how many changed."""
    changed = 0
    for index in solution_cells(nb):
        cell = nb.cells[index]
        if SOLUTION not in tags(cell):
            cell.metadata["tags"] = [*tags(cell), SOLUTION]
            changed += 1
    return changed


def make_handout(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The learner's copy of `nb` (left unchanged); refuses untagged worked solutions."""
    check_tagged(nb, name)
    handout = copy.deepcopy(nb)
    handout.metadata.pop("widgets", None)  # saved widget state would be stale
    handout.cells = [cell for cell in handout.cells if not REMOVED_TAGS & set(tags(cell))]
    for cell in handout.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return handout


def execute(nb: nbformat.NotebookNode, name: str, timeout: int) -> nbformat.NotebookNode:
    """Run a copy of `nb` top to bottom in a fresh python3 kernel, in a temporary directory,
    and keep only the static stand-ins of paramlab's widgets (no kernel will back them)."""
    executed = copy.deepcopy(nb)
    with tempfile.TemporaryDirectory(prefix="paramlab-handout-") as workdir:
        nbformat.write(executed, Path(workdir) / name)
        client = NotebookClient(
            executed,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": workdir}},
            record_timing=False,
            store_widget_state=False,
        )
        try:
            client.execute()
        except CellExecutionError as error:
            raise HandoutError(
                f"{name}: the handout fails when run top to bottom:\n{error}"
            ) from error
    strip_live_views(executed)
    return executed


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    exporter = HTMLExporter(template_name="lab")
    exporter.register_preprocessor(LearnerPage(), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def index_html(entries: Sequence[tuple[str, str]], *, with_html: bool) -> str:
    """The page listing the handouts; `entries` are (file stem, title)."""
    items = []
    for stem, title in entries:
        notebook = f'<a href="{html.escape(stem)}.ipynb">notebook</a>'
        if with_html:
            page = f'<a href="html/{html.escape(stem)}.html">{html.escape(title)}</a>'
            items.append(f"  <li>{page} ({notebook})</li>")
        else:
            items.append(f"  <li>{html.escape(title)} ({notebook})</li>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            '<head><meta charset="utf-8"><title>paramlab: handouts</title></head>',
            "<body>",
            "<h1>paramlab: handouts</h1>",
            "<p>The course notebooks for learners: the exercises without their worked solutions."
            + (" Each title opens a page for printing." if with_html else "")
            + "</p>",
            "<ol>",
            *items,
            "</ol>",
            "</body>",
            "</html>",
            "",
        ]
    )


def write_handouts(paths: Sequence[Path], out: Path, *, with_html: bool, timeout: int) -> None:
    notebooks = [(path, nbformat.read(path, as_version=4)) for path in paths]
    # Every notebook is checked before any file is written, and every refusal said at once.
    refused = []
    for path, nb in notebooks:
        try:
            check_tagged(nb, str(path))
        except HandoutError as error:
            refused.append(str(error))
    if refused:
        raise HandoutError("\n".join(refused))
    handouts = [(path, nb, make_handout(nb, str(path))) for path, nb in notebooks]
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for path, nb, handout in handouts:
        start = time.perf_counter()
        nbformat.write(handout, out / path.name)
        title = title_of(nb.cells, path.stem)
        entries.append((path.stem, title))
        removed = len(nb.cells) - len(handout.cells)
        line = f"{path.name}: {removed} cells removed"
        if with_html:
            page = out / "html" / f"{path.stem}.html"
            page.parent.mkdir(exist_ok=True)
            page.write_text(to_html(execute(handout, path.name, timeout), title), encoding="utf-8")
            line += f", html/{page.name} ({time.perf_counter() - start:.1f} s)"
        print(line, flush=True)
    (out / "index.html").write_text(index_html(entries, with_html=with_html), encoding="utf-8")
    print(f"{len(entries)} handouts in {out}")


def tag(paths: Sequence[Path]) -> None:
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        changed = tag_solutions(nb)
        if changed:
            nbformat.write(nb, path)
        found = len(solution_cells(nb))
        if not found:
            print(f"{path.name}: no '## Worked solutions' cell")
        else:
            print(f"{path.name}: {changed} of {found} solution cells newly tagged `{SOLUTION}`")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--out", type=Path, default=OUT, help="default: build/handouts")
    parser.add_argument("--no-html", action="store_true", help="skip the executed HTML copies")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (HTML)")
    parser.add_argument(
        "--tag",
        action="store_true",
        help="tag each notebook's worked solutions `solution` in place, then stop",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or course_notebooks()
    if not paths:
        parser.error("no notebooks found")
    if args.tag:
        tag(paths)
        return 0
    try:
        with scratch_record():
            write_handouts(paths, args.out, with_html=not args.no_html, timeout=args.timeout)
        if not args.notebooks:
            written = editions.write(args.out.parent / "instructor")
            print(
                f"the instructor edition ({len(written)} lessons with their notes) in "
                f"{written[0].parent}"
            )
    except (HandoutError, editions.NotesOutOfStep) as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
