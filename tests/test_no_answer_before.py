"""In every notebook a learner opens, no question's answer (100 or more) is on screen before the
question: not in the markdown outside a `<details>` fold, not in visible code or the first line
of hidden code (JupyterLab shows it when the cell is collapsed), not in any output, not in an
earlier question.

The answers are read from the questions themselves: each question's stored output carries the
key of every figure it asks for (`paramlab.core.answer_key`, written by `make notebooks`), so
this test needs no kernel and the notebooks never hold an answer in clear. It reads the stored
notebooks, which nbval (strict) keeps equal to what the code computes today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from answer_check import early_answers, questions_in, text

from paramlab.core.answer_key import answer_key
from paramlab.ui._stand_in import STAND_IN_KEY
from tools.notebook_parts import QUESTION, course_notebooks

NOTEBOOKS = course_notebooks()


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_answer_is_on_screen_before_its_question(path):
    assert early_answers(load(path)) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_question_about_a_number_stores_its_answer_key(path):
    """Without the keys the test above would pass by seeing nothing: each Quiz and Predict cell
    must have stored one (run `make notebooks`)."""
    for index, cell in enumerate(load(path)["cells"]):
        source = text(cell["source"])
        if cell["cell_type"] != "code" or not QUESTION.search(source):
            continue
        for question in questions_in(cell):
            if question["kind"] in ("Quiz", "Predict"):
                assert question["answer_keys"], f"{path.name} cell {index}: no answer key"
        if "paramlab.Choice(" not in source:
            assert questions_in(cell), f"{path.name} cell {index}: no question output stored"


def notebook(*cells: dict) -> dict:
    return {"cells": list(cells)}


def quiz_cell(question: str, answer: int) -> dict:
    meta = {"stand_in": True, "question": {"kind": "Quiz", "text": question}}
    meta["question"]["answer_keys"] = [answer_key(question, answer)]
    output = {"output_type": "display_data", "data": {"text/plain": question}, "metadata": {}}
    output["metadata"][STAND_IN_KEY] = meta
    return {
        "cell_type": "code",
        "source": "paramlab.Quiz(...)",
        "metadata": {},
        "outputs": [output],
    }


def test_the_check_finds_an_answer_in_each_place_a_learner_looks():
    q = quiz_cell("Dense(64) on 64 inputs?", 4160)
    hidden = {"jupyter": {"source_hidden": True}}
    printed = {"output_type": "stream", "name": "stdout", "text": "Total params: 4,160"}
    places = [
        {"cell_type": "markdown", "source": "It has 4_160 parameters.", "metadata": {}},
        {"cell_type": "code", "source": "count = 4160\nq(count)", "metadata": hidden},
        {"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": [printed]},
    ]
    for place in places:
        (found,) = early_answers(notebook(place, q))
        assert found.endswith("its answer 4,160 is shown in cell 0"), found
    folded = {
        "cell_type": "markdown",
        "source": "<details><summary>Solution</summary>4,160</details>",
        "metadata": {},
    }
    second_line = {"cell_type": "code", "source": "# check\nassert n == 4160", "metadata": hidden}
    after = [q, {"cell_type": "markdown", "source": "4,160", "metadata": {}}]
    assert early_answers(notebook(folded, second_line, *after)) == []
