"""Every notebook is also a lecture: slide metadata by tools/slides.py's rules, questions as
fragments, checking cells skipped, and speaker notes (the instructor edition, tools/editions.py)
whose minutes make a 30-60 minute talk.

The deck itself is tried in Chromium (tests/browser/test_course_in_browser.py); make lecture in
tests/test_make_lab.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import editions, slides
from tools.notebook_parts import course_notebooks, lesson_notebooks

NOTEBOOKS = course_notebooks()
LESSONS = lesson_notebooks()


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_slide_metadata_follows_the_rules(path):
    assert slides.differences(path) == [], "run `.venv/bin/python -m tools.slides`"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_lesson_is_a_30_to_60_minute_talk(path):
    nb = editions.load(path.stem)  # the instructor edition: the learner's notebook and its notes
    kinds = slides.planned(nb)
    assert kinds[0] == "slide"
    assert kinds.count("slide") >= 4, "a talk of several slides"
    notes = [c for c in nb["cells"] if "instructor" in c["metadata"].get("tags", [])]
    assert notes, "speaker notes (cells tagged instructor)"
    for cell in notes:
        assert slides.MINUTES.search(slides.source(cell)), slides.source(cell)[:80]
    assert 30 <= slides.note_minutes(nb) <= 60
    for cell, kind in zip(nb["cells"], kinds, strict=True):
        text = slides.source(cell)
        if slides.QUESTION.search(text):
            assert kind == "fragment"
        if cell["cell_type"] == "code" and slides.only_checks(text):
            assert kind == "skip"


def test_the_rules():
    def md(*lines: str, **metadata) -> dict:
        return {"cell_type": "markdown", "metadata": metadata, "source": list(lines)}

    def code(*lines: str) -> dict:
        return {"cell_type": "code", "metadata": {}, "source": list(lines)}

    cells = [
        md("# Title"),
        code("import paramlab\n", "paramlab.setup_notebook(seed=0)"),
        md("## A section"),
        code("x = 1"),
        code("assert x == 1\n", "# a comment\n", "assert (\n", "    x\n", ")"),
        code("paramlab.Quiz('q', 1)"),
        md("### Deeper"),
        md("Lecturer, 4 min: ask why", tags=["instructor"]),
        code("%timeit x"),
    ]
    nb = {"cells": cells}
    expected = ["slide", "skip", "slide", "-", "skip", "fragment", "subslide", "notes", "-"]
    assert slides.planned(nb) == expected
    assert slides.apply(nb) == [0, 1, 2, 4, 5, 6, 7]
    assert "slideshow" not in cells[3]["metadata"]  # "-" is written as no slide_type at all
    assert slides.apply(nb) == []
    assert slides.note_minutes(nb) == 4
