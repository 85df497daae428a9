"""The course notebooks are saved clean, in order, and each is a lesson: objectives, links,
a quiet first cell, exercises, worked solutions. (nbval itself runs them: `make test`.)"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tools.notebook_parts import COURSE, LESSONS, course_notebooks, lesson_notebooks

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = lesson_notebooks()
EVERY_NOTEBOOK = course_notebooks()  # lessons, cheat sheet

QUESTION = re.compile(r"paramlab\.(Quiz|Choice|Predict)\(")
TIME = re.compile(r"\*\*Time:\*\* about \d+ minutes")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def test_the_course_list_names_every_notebook_in_its_folder():
    """tools/notebook_parts.py lists the course in order: a notebook added to notebooks/ and
    not listed there would be left out of the site, the handouts and these tests."""
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")) == sorted(COURSE)
    # Lessons are numbered in the order they are taken, except 08 (added after the capstone was
    # 07), which is taken between 06 and the capstone: each lesson's links say so.
    assert [stem for stem in LESSONS if stem != "08_transformer_block"] == sorted(
        stem for stem in LESSONS if stem != "08_transformer_block"
    )
    assert LESSONS.index("08_transformer_block") == LESSONS.index("07_capstone") - 1


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=lambda p: p.stem)
def test_saved_clean(path):
    nb = load(path)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb["metadata"], "stale widget state saved: run `make notebooks`"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        assert "execution" not in cell["metadata"], "timing metadata saved"
        for output in cell["outputs"]:
            assert output.get("name") != "stderr", f"stderr saved in {path.name}: {output}"
            assert output["output_type"] != "error"
            assert "application/vnd.jupyter.widget-view+json" not in output.get("data", {}), (
                "a saved live widget view shows 'model not found' without its kernel"
            )
        if "NBVAL_IGNORE_OUTPUT" in source(cell):
            assert re.search(r"#\s*NBVAL_IGNORE_OUTPUT\b.*:\s*\S", source(cell)), (
                "every ignored output says why on the same line"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_is_a_lesson(path):
    nb = load(path)
    cells = nb["cells"]
    first_code = next(c for c in cells if c["cell_type"] == "code")
    assert "paramlab.setup_notebook(" in source(first_code)
    assert source(first_code).index("setup_notebook") < source(first_code).index("import keras")
    intro = source(cells[0])
    assert "**After this notebook you can**" in intro
    index = LESSONS.index(path.stem)
    if index > 0:
        assert f"({LESSONS[index - 1]}.ipynb)" in intro
    if index < len(LESSONS) - 1:
        assert f"({LESSONS[index + 1]}.ipynb)" in intro
    questions = [c for c in cells if c["cell_type"] == "code" and QUESTION.search(source(c))]
    assert 3 <= len(questions) <= 8
    for question in questions:  # the code holds the answer: the learner sees the question only
        assert question["metadata"].get("jupyter", {}).get("source_hidden") is True, source(
            question
        )
    if index > 0:  # beyond repeating a number: a misconception to pick, or a prediction to commit
        assert any(re.search(r"paramlab\.(Choice|Predict)\(", source(c)) for c in questions)
    assert TIME.search(intro), "the first cell says how long the notebook takes"
    markdown = [source(c) for c in cells if c["cell_type"] == "markdown"]
    solutions = [m for m in markdown if "## Worked solutions" in m]
    assert solutions, "each notebook has worked solutions"
    for text in solutions:  # hidden until the learner asks for them
        assert "<details>" in text and "<summary>" in text, text[:200]
    assert any(m.lstrip().startswith("## Key points") for m in markdown[-3:]), (
        "the notebook ends with its key points"
    )
    asserts = sum(source(c).count("assert ") for c in cells if c["cell_type"] == "code")
    assert asserts >= 5, "each notebook asserts the numbers it teaches"


def test_make_test_runs_the_tests_and_every_notebook_under_strict_nbval():
    """What `make test` would run (make's dry run, nothing executed): pytest with strict
    `--nbval` on `tests` and `notebooks`; nothing anywhere asks for `--nbval-lax`."""
    plan = subprocess.run(
        ["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    runs = [shlex.split(line) for line in plan.splitlines() if " -m pytest " in line]
    assert len(runs) == 1, plan
    assert "--nbval" in runs[0] and {"tests", "notebooks"} <= set(runs[0]), runs[0]
    for name in ("Makefile", "pyproject.toml", ".ci/run"):
        assert "nbval-lax" not in (ROOT / name).read_text()
