"""Slide metadata for lectures: one rule per kind of cell, written into the notebooks.

A lecturer presents a notebook with jupyterlab-slideshow (`make lecture`), which reads each
cell's `metadata.slideshow.slide_type`. The reading order of the notebook does not change; the
rules only say how the cells fall onto slides:

- the title cell, every `## ` section and the worked solutions start a `slide`; a `### `
  heading starts a `subslide`;
- a question (`paramlab.Quiz(`, `Choice(`, `Predict(`) is a `fragment`: revealed on a key press,
  after the lecturer has asked it aloud;
- a code cell that only checks (nothing but `assert`s, comments and blank lines) and the
  notebook's set-up cell are `skip`ped: they still run with Run All, but take no slide time;
- a cell tagged `instructor` (a speaker note, with its minutes: only the instructor edition has
  them, `tools/editions.py`) is `notes`;
- everything else continues the slide it follows (`-`). Such a cell carries no slide_type at
  all: jupyterlab-slideshow 0.3.4 reads a missing one as "continue", but not the string "-".

    python -m tools.slides            # write the metadata into the course's notebooks
    python -m tools.slides --check    # exit 1, listing the cells, when a notebook differs

`make notebooks` keeps the metadata as it is; tests/test_slides.py runs the check.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

from tools.editions import load
from tools.notebook_parts import INSTRUCTOR, LESSONS, QUESTION, course_notebooks, tags

CONTINUE = "-"
MINUTES = re.compile(r"\b(\d+)\s*min\b")
"""How a speaker note states its time: "4 min"."""


def source(cell: dict) -> str:
    return "".join(cell["source"])


def only_checks(text: str) -> bool:
    """Code that only asserts (the checking cells a lecture need not show)."""
    try:
        body = ast.parse(text).body
    except SyntaxError:  # IPython magics and the like: not a checking cell
        return False
    return bool(body) and all(isinstance(statement, ast.Assert) for statement in body)


def slide_type(cell: dict, index: int, first_code: int) -> str:
    """The slide type the rules give this cell."""
    text = source(cell).lstrip()
    if INSTRUCTOR in tags(cell):
        return "notes"
    if index == 0:
        return "slide"
    if cell["cell_type"] == "markdown":
        if text.startswith("## "):
            return "slide"
        if text.startswith("### "):
            return "subslide"
        return CONTINUE
    if cell["cell_type"] != "code":
        return CONTINUE
    if index == first_code:
        return "skip"
    if QUESTION.search(text):
        return "fragment"
    if only_checks(text):
        return "skip"
    return CONTINUE


def planned(nb: dict) -> list[str]:
    cells = nb["cells"]
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), -1)
    return [slide_type(cell, i, first_code) for i, cell in enumerate(cells)]


def apply(nb: dict) -> list[int]:
    """Write the planned slide types into `nb`; the indices of the cells that changed."""
    changed = []
    for i, (cell, kind) in enumerate(zip(nb["cells"], planned(nb), strict=True)):
        metadata = cell.setdefault("metadata", {})
        if current(cell) == kind:
            continue
        changed.append(i)
        if kind == CONTINUE:
            metadata["slideshow"].pop("slide_type", None)
            if not metadata["slideshow"]:
                del metadata["slideshow"]
        else:
            metadata.setdefault("slideshow", {})["slide_type"] = kind
    return changed


def current(cell: dict) -> str:
    """The slide type a cell has now (`-` when it has none)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type") or CONTINUE


def note_minutes(nb: dict) -> int:
    """The minutes the notebook's speaker notes add up to."""
    return sum(
        int(m)
        for cell in nb["cells"]
        if INSTRUCTOR in tags(cell)
        for m in MINUTES.findall(source(cell))
    )


def differences(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for i, (cell, kind) in enumerate(zip(nb["cells"], planned(nb), strict=True)):
        has = current(cell)
        if has != kind:
            first = source(cell).strip().splitlines()[:1] or [""]
            found.append(f"{path.name} cell {i} ({first[0][:50]!r}): {has!r}, rules say {kind!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report differences, write nothing")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    paths = args.notebooks or course_notebooks()
    if args.check:
        found = [line for path in paths for line in differences(path)]
        print("\n".join(found) or "slide metadata follows the rules")
        return 1 if found else 0
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        changed = apply(nb)
        if changed:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        minutes = note_minutes(load(path.stem)) if path.stem in LESSONS else 0
        print(f"{path.name}: {len(changed)} cells set; speaker notes {minutes} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
