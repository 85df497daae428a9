"""A saved notebook says, under each question, what the learner did with it (paramlab.ui._reopen,
called by the save hook): solved and how, tried, the answer shown, a Predict's two figures;
replaced on every save, never doubled, and nothing for a question only seen."""

from __future__ import annotations

import copy

import pytest

from paramlab.records._progress import QuestionRecord
from paramlab.ui._reopen import record_line, show_records
from paramlab.ui._stand_in import STAND_IN_KEY

STAND_IN = "<div class='paramlab-static'><p><b>Q?</b></p><p><i>To answer it, ...</i></p></div>"


def saved(question: str, kind: str = "Quiz") -> dict:
    metadata = {STAND_IN_KEY: {"stand_in": True, "question": {"kind": kind, "text": question}}}
    output = {
        "output_type": "display_data",
        "data": {"text/plain": [f"{kind}: {question}"], "text/html": STAND_IN},
        "metadata": metadata,
    }
    return {"cells": [{"cell_type": "code", "source": "", "metadata": {}, "outputs": [output]}]}


def test_the_record_in_one_line():
    solved = QuestionRecord("Quiz", attempts=2, solved=True, answer="7,232")
    assert record_line(solved) == "Your record: solved with 7,232, in 2 tries."
    shown = QuestionRecord("Quiz", attempts=2, solved=True, answer="7,232", revealed=True)
    assert record_line(shown) == (
        "Your record: solved with 7,232, in 2 tries, after the answer was shown."
    )
    assert record_line(QuestionRecord("Quiz", attempts=1)) == "Your record: 1 try, not solved yet."
    assert record_line(QuestionRecord("Quiz", attempts=2, revealed=True)) == (
        "Your record: the answer was shown after 2 tries; not solved yet."
    )
    predict = QuestionRecord("Predict", attempts=1, solved=True, prediction="800", actual="7232")
    assert record_line(predict) == "Your record: you predicted 800; the real figure was 7,232."
    assert record_line(QuestionRecord("Quiz", shown=True)) == ""


def test_a_saved_question_shows_the_record_once():
    nb = saved("Q?")
    records = {"01_dense.ipynb": {"Q?": QuestionRecord("Quiz", attempts=1)}}
    assert show_records(nb, "01_dense.ipynb", records) == 1
    data = nb["cells"][0]["outputs"][0]["data"]
    assert data["text/plain"] == "Quiz: Q?\nYour record: 1 try, not solved yet."
    assert data["text/html"].endswith(
        "<p class='paramlab-record' style='margin:0.3em 0 0 0'>"
        "Your record: 1 try, not solved yet.</p></div>"
    )
    records["01_dense.ipynb"]["Q?"] = QuestionRecord("Quiz", attempts=2, solved=True, answer="9")
    again = copy.deepcopy(nb)
    show_records(again, "01_dense.ipynb", records)
    data = again["cells"][0]["outputs"][0]["data"]
    assert data["text/plain"] == "Quiz: Q?\nYour record: solved with 9, in 2 tries."
    assert data["text/html"].count("paramlab-record") == 1


def test_another_notebooks_record_or_none_leaves_the_stand_in():
    nb = saved("Q?")
    before = copy.deepcopy(nb)
    assert (
        show_records(nb, "02.ipynb", {"01.ipynb": {"Q?": QuestionRecord("Quiz", attempts=1)}}) == 0
    )
    assert nb == before, "nothing to say: the output is left exactly as it was"


def test_the_save_hook_writes_the_learners_record(tmp_path, monkeypatch):
    from paramlab.records._progress import Store
    from paramlab.ui import _save_hook

    path = tmp_path / "progress.json"
    monkeypatch.setenv("PARAMLAB_PROGRESS", str(path))
    Store(path).attempted("01_dense.ipynb", "Q?", "Quiz", solved=True, answer="3,232")
    nb = saved("Q?")
    _save_hook.pre_save_hook(
        model={"type": "notebook", "content": nb}, path="course/01_dense.ipynb"
    )
    text = nb["cells"][0]["outputs"][0]["data"]["text/plain"]
    assert text == "Quiz: Q?\nYour record: solved with 3,232, in 1 try."


def test_a_record_that_cannot_be_read_never_fails_a_save(tmp_path, monkeypatch):
    from paramlab.ui import _save_hook

    monkeypatch.setenv("PARAMLAB_PROGRESS", str(tmp_path))  # a folder: progress.json inside
    (tmp_path / "progress.json").mkdir()  # not a file: unreadable
    nb = saved("Q?")
    with pytest.warns(UserWarning):
        _save_hook.pre_save_hook(model={"type": "notebook", "content": nb}, path="01.ipynb")
    assert nb["cells"][0]["outputs"][0]["data"]["text/plain"] == ["Quiz: Q?"]
