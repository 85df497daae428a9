"""The one guard around widget callbacks: a bug is said in the widget, in one wording, logged,
and never raised into the kernel; explorers, pictures and questions all say it the same way."""

from __future__ import annotations

import logging

import pytest

import paramlab
from paramlab.ui import _guard
from paramlab.ui._guard import DETAIL_LENGTH, SORRY, guarded, went_wrong


def test_the_wording():
    err = ZeroDivisionError("division by zero")
    assert went_wrong("updating", err) == (
        "Something went wrong updating (ZeroDivisionError: division by zero). "
        "Please try again or tell your instructor."
    )


def test_only_the_first_line_and_at_most_the_detail_length():
    long = went_wrong("drawing", RuntimeError("x" * 500 + "\nsecond line"))
    detail = long.removeprefix("Something went wrong drawing (").removesuffix(f"). {SORRY}")
    assert len(detail) == DETAIL_LENGTH and detail.endswith("…")
    assert "second line" not in long
    assert went_wrong("drawing", RuntimeError("one\ntwo")) == (
        f"Something went wrong drawing (RuntimeError: one). {SORRY}"
    )


def test_an_error_without_a_message_is_named():
    assert (
        went_wrong("checking", KeyError()) == f"Something went wrong checking (KeyError). {SORRY}"
    )


def test_guarded_returns_the_action_or_shows_the_error_and_logs_it(caplog):
    assert guarded("adding", lambda: 1 + 1, lambda message: -1) == 2
    shown: list[str] = []

    def crash() -> int:
        raise ValueError("bad")

    def show(message: str) -> int:
        shown.append(message)
        return -1

    with caplog.at_level(logging.ERROR, logger=_guard.__name__):
        assert guarded("adding", crash, show) == -1
    assert shown == [f"Something went wrong adding (ValueError: bad). {SORRY}"]
    (record,) = caplog.records
    assert record.exc_info is not None and "adding" in record.getMessage()


def test_a_base_exception_is_not_swallowed():
    def interrupted() -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        guarded("waiting", interrupted, lambda message: None)


def failing_quiz(monkeypatch) -> str:
    from paramlab.ui.questions import quiz

    monkeypatch.setattr(quiz, "parse", lambda text: 1 / 0)
    return paramlab.Quiz("?", 1).check("1")


def failing_explorer(monkeypatch) -> str:
    from paramlab.ui.explorers import dense

    e = paramlab.DenseExplorer()
    monkeypatch.setattr(dense.F, "dense", lambda *a, **k: 1 / 0)
    e.update(units=11)
    return e.text


def failing_picture(monkeypatch) -> str:
    p = paramlab.Conv1DPicture(12, 4, 3)
    monkeypatch.setattr(p.fig.canvas, "draw_idle", lambda: 1 / 0)
    p.slider.value = 2
    return p.text


@pytest.mark.parametrize(
    ("fail", "doing"),
    [
        (failing_quiz, "checking that answer"),
        (failing_explorer, "updating"),
        (failing_picture, "drawing this step"),
    ],
    ids=["question", "explorer", "picture"],
)
def test_every_family_says_it_the_same_way(fail, doing, monkeypatch):
    said = went_wrong(doing, ZeroDivisionError("division by zero"))
    assert said in fail(monkeypatch).splitlines()
