"""Quiz: right answers, each classic slip named, hostile input refused with a friendly word."""

from __future__ import annotations

import pytest

from paramlab import formulas as F
from paramlab.quiz import Quiz


def test_right_answer_as_expression():
    q = Quiz("Conv1D(32, 5) on a 45x45 grey image?", F.conv1d(32, 5, 45))
    assert q.check("5*45*32 + 32").startswith("Right: 7,232.")
    assert q.solved
    assert "5 * 45 * 32 + 32 = 7,232" in q.feedback


def test_right_answer_with_thousands_separator_and_button():
    q = Quiz("MNIST Dense(10)?", 7850)
    q.answer_box.value = "7,850"
    assert q.feedback.startswith("Right")
    q.button.click()
    assert q.feedback.startswith("Right")


@pytest.mark.parametrize(
    "breakdown,ask,typed,expected",
    [
        (F.conv1d(32, 5, 45), "total", "7200", "leaves out the bias"),
        (F.conv1d(32, 5, 45), "total", "5*5*32 + 32", "That is the 2-D formula"),
        (F.conv1d(32, 5, 45), "total", "5*32 + 32", "leaves out the input channels"),
        (F.conv2d(64, 3, 32), "total", "3*3*64 + 64", "leaves out the input channels"),
        (F.lstm(64, 6), "total", "64*(64+6)+64", "LSTM has four gates: multiply by 4"),
        (F.gru(64, 6), "total", "3*(64*(64+6)+64)", "That is GRU with reset_after=False"),
        (F.gru(64, 6), "total", "(3*(64*(64+6)+64) + 3*64) / 3", "GRU has three gates"),
        (F.bidirectional(F.lstm(50, 768)), "total", "163800", "Bidirectional runs two copies"),
        (F.batch_normalization(32), "trainable", "128", "counts moving_mean and moving_variance"),
        (F.batch_normalization(32), "total", "64", "That is PyTorch's count"),
    ],
)
def test_classic_slips(breakdown, ask, typed, expected):
    q = Quiz("How many?", breakdown, ask=ask)
    feedback = q.check(typed)
    assert feedback.startswith("Not quite"), feedback
    assert expected in feedback
    assert not q.solved


def test_hints_are_revealed_one_by_one():
    q = Quiz("?", 10, hints=("first hint", "second hint"))
    assert "Hint: first hint" in q.check("1")
    assert "Hint: second hint" in q.check("2")
    assert "Hint: second hint" in q.check("3")


def test_fraction_is_not_a_count():
    q = Quiz("?", 10)
    assert "is not a whole number" in q.check("21/2")


@pytest.mark.parametrize(
    "hostile,expected",
    [
        ("__import__('os').system('echo hi')", "Only numbers, + - * / and parentheses"),
        ("9**9**9**9", "Powers are not needed"),
        ("2^64", "Powers are not needed"),
        ("", "Type a number"),
        ("   ", "Type a number"),
        ("١٢٣", "not an expression I can read"),
        ("７２３２", "not an expression I can read"),
        ("1e999", "far larger"),
        ("99999999999999999999", "far larger"),
        ("1/0", "divides by zero"),
        ("(" * 150 + "1" + ")" * 150, "longer than 200"),
        ("lambda: 1", "Only numbers"),
        ("[1, 2]", "Only numbers"),
        ("x = 3", "not an expression I can read"),
        ("'7232'", "Only numbers"),
        ("7232 # comment", "7,232"),
    ],
)
def test_hostile_input(hostile, expected):
    q = Quiz("?", 7232)
    feedback = q.check(hostile)
    assert expected in feedback
    if "Right" not in feedback:
        assert q.attempts == 0 or "Not quite" in feedback


def test_unicode_operators_are_read():
    q = Quiz("?", 7232)
    assert q.check("5 × 45 × 32 + 32").startswith("Right")


def test_bad_answer_type():
    with pytest.raises(
        TypeError,
        match=r"`answer` must be an int or a Breakdown\. "
        r"Received: answer='7232' \(of type str\)",
    ):
        Quiz("?", "7232")
    with pytest.raises(ValueError, match=r"Received: ask='weights'"):
        Quiz("?", F.dense(3, 4), ask="weights")
