"""Learners' time estimates (tools/reading_time.py): each lesson's stated time is within
`TOLERANCE` of the time computed from what it holds, `--write` (on a copy here) makes it so while
changing only the line that states it, and the counting is checked on small made-up notebooks.

notebooks/ is only read: `--write` runs on a temporary copy of the lessons.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from tools import reading_time
from tools.notebook_parts import LESSONS, lesson_notebooks
from tools.reading_time import (
    CODE_SECONDS_PER_LINE,
    EXPLORER_MINUTES,
    OUTPUT_SECONDS_PER_LINE,
    PICTURE_MINUTES,
    PROSE_WORDS_PER_MINUTE,
    QUESTION_MINUTES,
    TOLERANCE,
    Reading,
    computed_minutes,
    reading,
    rounded,
    stated_minutes,
)

HIDDEN = {"jupyter": {"source_hidden": True}}
HEADER = "# A lesson\n\n[next](02_next.ipynb)\n\n**Time:** about 20 minutes\n"


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def quietly(argv: list[str]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert reading_time.main(argv) == 0
    return out.getvalue()


# -- the course -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", lesson_notebooks(), ids=LESSONS)
def test_stated_time_is_within_tolerance_of_computed(path):
    nb = load(path)
    stated, computed = stated_minutes(nb), computed_minutes(nb)
    assert abs(stated - computed) <= TOLERANCE * computed, (
        f"{path.stem} states {stated} minutes; its content takes {computed} "
        f"({(stated - computed) / computed:+.0%}). `python -m tools.reading_time --write` "
        "restates it."
    )


@pytest.fixture(scope="module")
def restated(tmp_path_factory) -> tuple[Path, dict[str, str], str]:
    """A copy of the lessons, their text before, and the output of `--write` on the copy."""
    folder = tmp_path_factory.mktemp("lessons")
    before = {}
    for path in lesson_notebooks():
        shutil.copyfile(path, folder / path.name)
        before[path.stem] = (folder / path.name).read_text(encoding="utf-8")
    return folder, before, quietly(["--write", "--folder", str(folder)])


@pytest.mark.parametrize("stem", LESSONS)
def test_write_makes_the_stated_time_pass(restated, stem):
    folder, before, _ = restated
    after = (folder / f"{stem}.ipynb").read_text(encoding="utf-8")
    nb, old = json.loads(after), json.loads(before[stem])
    stated, computed = stated_minutes(nb), computed_minutes(nb)
    assert stated == rounded(computed) and stated % 5 == 0
    assert abs(stated - computed) <= TOLERANCE * computed
    # Only the line stating the minutes changed; every other byte is as it was.
    changed = [
        (a, b) for a, b in zip(before[stem].splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) <= 1
    assert all(reading_time.TIME.search(b) for _, b in changed)
    assert nb["cells"][1:] == old["cells"][1:] and nb["metadata"] == old["metadata"]
    assert computed == computed_minutes(old)


def test_write_reports_what_it_changed_and_is_idempotent(restated):
    folder, before, output = restated
    assert output.splitlines()[0].split() == [
        "notebook",
        "stated",
        "computed",
        "difference",
        *Reading().parts,
    ]
    changed = [line for line in output.splitlines() if " -> " in line]
    differs = [stem for stem in LESSONS if (folder / f"{stem}.ipynb").read_text() != before[stem]]
    assert [line.split(":")[0] for line in changed] == [f"{stem}.ipynb" for stem in differs]
    texts = {path: path.read_bytes() for path in folder.iterdir()}
    again = quietly(["--write", "--folder", str(folder)])
    assert " -> " not in again
    assert {path: path.read_bytes() for path in folder.iterdir()} == texts


def test_table_rows_and_total(tmp_path):
    for path in lesson_notebooks():
        shutil.copyfile(path, tmp_path / path.name)
    lines = quietly(["--folder", str(tmp_path)]).splitlines()
    assert [line.split()[0] for line in lines[1:]] == [*LESSONS, "total"]
    rows = [line.split() for line in lines[1:-1]]
    total = lines[-1].split()
    assert int(total[1]) == sum(stated_minutes(load(tmp_path / f"{s}.ipynb")) for s in LESSONS)
    assert int(total[2]) == sum(int(row[2]) for row in rows)
    assert all(int(row[2]) == computed_minutes(load(tmp_path / f"{row[0]}.ipynb")) for row in rows)


def test_a_missing_lesson_is_an_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        reading_time.main(["--folder", str(tmp_path)])
    assert raised.value.code == 2
    assert f"no such notebook: {tmp_path / '00_start_here.ipynb'}" in capsys.readouterr().err


def test_stored_sources_and_nbformat_sources_count_the_same():
    path = lesson_notebooks()[4]
    assert reading(nbformat.read(path, as_version=4)) == reading(load(path))


# -- counting, on made-up notebooks ----------------------------------------------------------


def test_prose_words_drop_link_targets_html_and_symbols():
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "See [the Dense lesson](01_dense.ipynb#Top) · `units * (inputs + 1)` = 7,850 →\n"
                "<details><summary>Show</summary>"
            ),
            new_markdown_cell("a worked solution, not read", metadata={"tags": ["solution"]}),
            new_markdown_cell("a speaker note, not read", metadata={"tags": ["instructor"]}),
            new_raw_cell("raw text is not read"),
        ]
    )
    # See, [the, Dense, lesson], `units, (inputs, 1)`, 7,850, Show
    assert reading(nb) == Reading(words=9)


def test_code_lines_are_visible_lines_with_a_letter_or_digit():
    nb = new_notebook(
        cells=[
            new_code_cell("x = keras.layers.Dense(\n    3,\n)\n\n# a comment\nprint(x)"),
            new_code_cell("hidden = 1\nprint(hidden)", metadata=dict(HIDDEN)),
            new_code_cell("assert answer == 7", metadata={"tags": ["solution"]}),
        ]
    )
    # `x = ...`, `3,`, the comment, `print(x)`; not `)` nor the blank line
    assert reading(nb) == Reading(code_lines=4)


def test_output_lines_read_text_not_borders_escapes_or_images():
    summary = '\x1b[1mModel: "m"\x1b[0m\n\x1b[1m┏━━━━━━┳━━━━━┓\x1b[0m\n┃ Layer ┃ Param # ┃\n'
    outputs = [
        new_output("stream", name="stdout", text="a = 1\n\nb = 2\n"),
        new_output("display_data", data={"text/plain": summary, "text/html": "<b>x</b>"}),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
        new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
    ]
    hidden = new_code_cell("model.summary()", metadata=dict(HIDDEN), outputs=outputs[1:2])
    nb = new_notebook(cells=[new_code_cell("", outputs=outputs), hidden])
    # 2 stream lines + Model and Layer rows + 42; then the hidden cell's 2 rows
    assert reading(nb) == Reading(output_lines=7)


def test_questions_by_kind_with_their_outputs_not_read():
    stand_in = [new_output("display_data", data={"text/plain": "Quiz: 1. How many?"})]
    nb = new_notebook(
        cells=[
            new_code_cell('paramlab.Quiz("1?", 7)', metadata=dict(HIDDEN), outputs=stand_in),
            new_code_cell('paramlab.Quiz("2?", 8)\nparamlab.Quiz("3?", 9)', metadata=dict(HIDDEN)),
            new_code_cell('paramlab.Choice("4?", [("a", True, "")])', metadata=dict(HIDDEN)),
            new_code_cell('paramlab.Predict("5?", reveal)', metadata=dict(HIDDEN)),
            new_code_cell('Quiz("not paramlab\'s")', outputs=stand_in),
        ]
    )
    assert reading(nb) == Reading(quizzes=3, choices=1, predicts=1, code_lines=1, output_lines=1)


def test_explorers_and_pictures_with_their_outputs_not_read():
    read_out = [new_output("display_data", data={"text/plain": "Dense: 7,850\nkernel (784, 10)"})]
    nb = new_notebook(
        cells=[
            new_code_cell("paramlab.DenseExplorer(units=10)", outputs=read_out),
            new_code_cell("paramlab.Conv1DPicture(steps=8)", outputs=read_out),
            new_code_cell("paramlab.ConfusionPicture(size=45)"),
        ]
    )
    assert reading(nb) == Reading(explorers=1, pictures=2, code_lines=3)


def test_each_part_at_its_rate():
    assert Reading(words=PROSE_WORDS_PER_MINUTE).parts["prose"] == 1
    assert Reading(code_lines=60).parts["code"] == CODE_SECONDS_PER_LINE
    assert Reading(output_lines=60).parts["outputs"] == OUTPUT_SECONDS_PER_LINE
    assert Reading(quizzes=2, choices=1).parts["questions"] == (
        2 * QUESTION_MINUTES["Quiz"] + QUESTION_MINUTES["Choice"]
    )
    assert Reading(predicts=1).parts["questions"] == QUESTION_MINUTES["Predict"]
    assert Reading(explorers=1, pictures=1).parts["explorers"] == EXPLORER_MINUTES + PICTURE_MINUTES
    both = Reading(words=PROSE_WORDS_PER_MINUTE * 10, quizzes=2)
    assert both.minutes == 10 + 2 * QUESTION_MINUTES["Quiz"]


def test_computed_minutes_of_a_made_up_lesson():
    # 10 minutes of prose (with the header's words), 2 Quizzes, one explorer
    header_words = reading(new_notebook(cells=[new_markdown_cell(HEADER)])).words
    assert header_words == 7  # A, lesson, [next], **Time:**, about, 20, minutes
    prose = " ".join(["word"] * (PROSE_WORDS_PER_MINUTE * 10 - header_words))
    nb = new_notebook(
        cells=[
            new_markdown_cell(HEADER),
            new_markdown_cell(prose),
            new_code_cell('paramlab.Quiz("1?", 7)', metadata=dict(HIDDEN)),
            new_code_cell('paramlab.Quiz("2?", 7)', metadata=dict(HIDDEN)),
            new_code_cell("paramlab.DenseExplorer()"),
        ]
    )
    expected = 10 + 2 * QUESTION_MINUTES["Quiz"] + EXPLORER_MINUTES + CODE_SECONDS_PER_LINE / 60
    assert reading(nb).minutes == pytest.approx(expected)
    assert computed_minutes(nb) == int(expected + 0.5)


@pytest.mark.parametrize(
    ("minutes", "expected"), [(0, 5), (1, 5), (22.4, 20), (22.5, 25), (47, 45), (48, 50)]
)
def test_rounded_to_five_minutes(minutes, expected):
    assert rounded(minutes) == expected


def test_stated_minutes_from_a_string_or_a_list_of_lines():
    nb = new_notebook(cells=[new_markdown_cell(HEADER)])
    assert stated_minutes(nb) == 20
    nb.cells[0].source = HEADER.splitlines(keepends=True)
    assert stated_minutes(nb) == 20


@pytest.mark.parametrize(
    ("cells", "received"),
    [
        (
            [new_markdown_cell("# A lesson\n\nTime: 20 minutes")],
            "'# A lesson\\n\\nTime: 20 minutes'",
        ),
        ([], "''"),
    ],
)
def test_no_stated_time_is_an_error(cells, received):
    with pytest.raises(ValueError) as raised:
        stated_minutes(new_notebook(cells=cells))
    assert str(raised.value) == (
        "Expected the first cell to state the learner's time as '**Time:** about N minutes'. "
        f"Received: first_cell={received}"
    )


def test_restate_a_string_source():
    nb = new_notebook(cells=[new_markdown_cell(HEADER)])
    reading_time.restate(nb, 35)
    assert nb.cells[0].source == HEADER.replace("about 20 minutes", "about 35 minutes")


def test_write_stated_changes_one_line_of_the_file(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell(HEADER), new_code_cell("x = 'é'")])
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    before = path.read_text(encoding="utf-8")
    assert reading_time.write_stated(path, 30) is True
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("about 20 minutes", "about 30 minutes") != before
    assert reading_time.write_stated(path, 30) is False
    assert path.read_text(encoding="utf-8") == after


def test_write_stated_refuses_another_layout(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell(HEADER)])
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(nb, indent=2), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(ValueError) as raised:
        reading_time.write_stated(path, 30)
    assert str(raised.value) == (
        "Expected a notebook stored as json.dumps(nb, indent=1, ensure_ascii=False) plus a "
        f"newline, so that only its time line changes; not rewriting it. Received: path={path}"
    )
    assert path.read_bytes() == before


CHECK_EVERY = 12  # minutes: "a check at least every ~10 minutes of reading", with some slack


@pytest.mark.parametrize("path", reading_time.lesson_notebooks(), ids=lambda p: p.stem)
def test_a_learner_meets_a_question_every_ten_minutes_or_so(path):
    """The reading between two questions (or before the first) takes at most CHECK_EVERY
    minutes, so a learner alone commits to an answer often, not only at the end."""
    stretches: list[list[dict]] = [[]]
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and reading_time.QUESTION.search(source):
            stretches.append([])
        else:
            stretches[-1].append(cell)
    minutes = [reading_time.reading({"cells": cells}).minutes for cells in stretches]
    assert len(minutes) > 1, "no question at all"
    assert max(minutes[:-1]) <= CHECK_EVERY, [round(m, 1) for m in minutes]
