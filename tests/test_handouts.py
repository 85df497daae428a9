"""Learner handouts (tools/handouts.py, `make handouts`): no worked solution and no instructor
note survives, outputs are cleared, the questions stay, an untagged solution is refused, the
handout runs top to bottom, and its HTML copy shows neither solutions nor question sources.

One kernel run in all (the synthetic notebook's HTML copy); the real notebooks are not executed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from tools import handouts
from tools.notebook_parts import course_notebooks

NOTEBOOKS = course_notebooks()

SOLUTION_TEXT = "SOLUTION-TEXT-MARKER"
SOLUTION_CHECK = "SOLUTION-CHECK-MARKER"
INSTRUCTOR_TEXT = "INSTRUCTOR-NOTE-MARKER"
STALE_OUTPUT = "STALE-OUTPUT-MARKER"
QUIZ_SOURCE = (
    "paramlab.Quiz(\n"
    '    "How many parameters does Dense(10) have on 784 inputs?",\n'
    "    784 * 10 + 10,\n"
    '    hints=["One weight per input per unit, plus a bias per unit."],\n'
    ")"
)
HIDDEN = {"jupyter": {"source_hidden": True}}


def synthetic_notebook(*, tagged: bool = True) -> nbformat.NotebookNode:
    """A small lesson shaped like the course's: set-up, lesson, a question, worked solutions
    (markdown plus the asserts that check them), an instructor note, key points."""
    lesson = new_code_cell(
        'units = 6 * 7\nprint(f"lesson computed {units * 1000 + 1}")',
        execution_count=3,
        outputs=[new_output("stream", name="stdout", text=STALE_OUTPUT + "\n")],
    )
    quiz = new_code_cell(QUIZ_SOURCE, metadata=dict(HIDDEN), execution_count=4)
    solutions = new_markdown_cell(
        "## Worked solutions\n\n<details><summary>Show the worked solution</summary>\n\n"
        f"1. `784 * 10 + 10 = 7,850`: {SOLUTION_TEXT}.\n\n</details>"
    )
    check = new_code_cell(
        "layer = keras.layers.Dense(10)\n"
        "layer.build((None, 784))\n"
        f"assert layer.count_params() == 7_850  # {SOLUTION_CHECK}",
        execution_count=5,
        outputs=[new_output("stream", name="stdout", text="checked\n")],
    )
    if tagged:
        solutions.metadata["tags"] = ["solution"]
        check.metadata["tags"] = ["solution"]
    instructor = new_markdown_cell(
        f"Instructor: ask the room before revealing. {INSTRUCTOR_TEXT}",
        metadata={"tags": ["instructor"]},
    )
    nb = new_notebook(
        cells=[
            new_markdown_cell("# A synthetic lesson\n\n[next lesson](02_next.ipynb#Top)"),
            new_code_cell(
                "import paramlab\n\nparamlab.setup_notebook(seed=0)\n\nimport keras",
                execution_count=1,
            ),
            lesson,
            quiz,
            solutions,
            check,
            instructor,
            new_markdown_cell("## Key points\n\n- Dense: `units * (inputs + 1)`."),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(nb, path)
    return path


@pytest.fixture
def handout(tmp_path) -> nbformat.NotebookNode:
    source = write(synthetic_notebook(), tmp_path / "01_lesson.ipynb")
    assert handouts.main([str(source), "--out", str(tmp_path / "out"), "--no-html"]) == 0
    return nbformat.read(tmp_path / "out" / "01_lesson.ipynb", as_version=4)


def test_no_tagged_cell_and_no_solution_text_survive(handout, tmp_path):
    for cell in handout.cells:
        assert not {"solution", "instructor"} & set(cell.metadata.get("tags", []))
    text = (tmp_path / "out" / "01_lesson.ipynb").read_text(encoding="utf-8")
    for secret in (SOLUTION_TEXT, SOLUTION_CHECK, INSTRUCTOR_TEXT, "Worked solutions"):
        assert secret not in text
    assert len(handout.cells) == 8 - 3


def test_outputs_cleared_and_counts_reset(handout):
    code = [cell for cell in handout.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == []
        assert cell.execution_count is None
    assert "widgets" not in handout.metadata


def test_question_cells_kept_with_their_metadata(handout):
    (quiz,) = [cell for cell in handout.cells if "paramlab.Quiz(" in cell.source]
    assert quiz.source == QUIZ_SOURCE
    assert quiz.metadata["jupyter"]["source_hidden"] is True
    assert handout.cells[1].source.startswith("import paramlab\n\nparamlab.setup_notebook(seed=0)")


@pytest.mark.parametrize("untagged", [4, 5], ids=["worked-solutions-markdown", "checking-code"])
def test_untagged_solution_is_refused(tmp_path, capsys, untagged):
    nb = synthetic_notebook()
    nb.cells[untagged].metadata.pop("tags")
    good = write(synthetic_notebook(), tmp_path / "00_good.ipynb")
    bad = write(nb, tmp_path / "01_bad.ipynb")
    out = tmp_path / "out"
    assert handouts.main([str(good), str(bad), "--out", str(out), "--no-html"]) == 1
    error = capsys.readouterr().err
    assert "01_bad.ipynb" in error and f"cell {untagged} " in error
    assert "not tagged `solution`" in error and "--tag" in error
    assert not out.exists(), "nothing may be written when a notebook is refused"


def test_tag_adds_exactly_the_solution_tags_idempotently(tmp_path):
    path = write(synthetic_notebook(tagged=False), tmp_path / "01_lesson.ipynb")
    assert handouts.main(["--tag", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    tagged = [i for i, cell in enumerate(nb.cells) if "solution" in cell.metadata.get("tags", [])]
    assert tagged == [4, 5]
    expected = synthetic_notebook()
    for cell, want in zip(nb.cells, expected.cells, strict=True):
        assert cell.source == want.source and cell.metadata == want.metadata
    once = path.read_bytes()
    assert handouts.main(["--tag", str(path)]) == 0
    assert path.read_bytes() == once
    assert handouts.main([str(path), "--out", str(tmp_path / "out"), "--no-html"]) == 0


@pytest.fixture(scope="module")
def html_build(tmp_path_factory) -> Path:
    """The synthetic notebook's handouts with the HTML copy: the one kernel run of this file."""
    root = tmp_path_factory.mktemp("html")
    source = write(synthetic_notebook(), root / "01_lesson.ipynb")
    out = root / "out"
    handouts.write_handouts([source], out, with_html=True, timeout=300)
    return out


def test_handout_runs_top_to_bottom(html_build):
    # write_handouts ran the handout with nbclient (kernel python3) and would have raised on
    # any failing cell; the page shows the lesson's computed output and the question.
    page = (html_build / "html" / "01_lesson.html").read_text(encoding="utf-8")
    assert "lesson computed 42001" in page
    assert "How many parameters does Dense(10) have on 784 inputs?" in page
    assert "Traceback" not in page and STALE_OUTPUT not in page


def test_html_has_no_solution_text_and_no_question_source(html_build):
    page = (html_build / "html" / "01_lesson.html").read_text(encoding="utf-8")
    for secret in (SOLUTION_TEXT, SOLUTION_CHECK, INSTRUCTOR_TEXT, "Worked solutions"):
        assert secret not in page
    assert "paramlab.Quiz(" not in page and "784 * 10 + 10" not in page
    assert "One weight per input per unit" not in page
    assert "widget-view+json" not in page
    assert 'href="02_next.html#Top"' in page  # links lead to the other HTML copies


def test_index_lists_the_handouts(html_build):
    index = (html_build / "index.html").read_text(encoding="utf-8")
    assert 'href="html/01_lesson.html">A synthetic lesson</a>' in index
    assert 'href="01_lesson.ipynb"' in index


# The real notebooks: read, never executed, never changed.


def worked_solutions(nb: nbformat.NotebookNode) -> list[int]:
    return [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown" and "## Worked solutions" in cell.source
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_real_worked_solutions_are_tagged(path):
    nb = nbformat.read(path, as_version=4)
    for index in worked_solutions(nb):  # a notebook without exercises (a cheat sheet) has none
        after = index + 1  # the checking cell; speaker notes may stand before it
        while "instructor" in nb.cells[after].metadata.get("tags", []):
            after += 1
        assert nb.cells[after].cell_type == "code", f"{path.name}: no checking cell after {index}"
        for i in (index, after):
            assert "solution" in nb.cells[i].metadata.get("tags", []), (
                f"{path.name}: cell {i} is not tagged `solution` "
                f"(python -m tools.handouts --tag notebooks/{path.name})"
            )


def test_real_handouts_have_no_solution_text(tmp_path):
    copies = []
    for path in NOTEBOOKS:
        copies.append(tmp_path / path.name)
        shutil.copyfile(path, copies[-1])
    assert handouts.main(["--tag", *map(str, copies)]) == 0
    out = tmp_path / "out"
    assert handouts.main([*map(str, copies), "--out", str(out), "--no-html"]) == 0
    assert sorted(p.name for p in out.glob("*.ipynb")) == sorted(p.name for p in NOTEBOOKS)
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        handout = nbformat.read(out / path.name, as_version=4)
        sources = [cell.source for cell in handout.cells]
        secrets = [original.cells[i].source for i in worked_solutions(original)]
        secrets += [original.cells[i + 1].source for i in worked_solutions(original)]
        for secret in secrets:
            assert not any(secret in source for source in sources), path.name
        assert "Worked solutions" not in (out / path.name).read_text(encoding="utf-8")
        questions = [c.source for c in original.cells if handouts.is_question(c)]
        assert [s for s in sources if handouts.QUESTION.search(s)] == questions, path.name
