"""Quiz: right answers, each classic slip named, hostile input refused with a friendly word."""

from __future__ import annotations

import pytest

from paramlab.core import formulas as F
from paramlab.core.answer_key import answer_key
from paramlab.ui.questions import quiz as quiz_module
from paramlab.ui.questions.quiz import Quiz

TRY_AGAIN = "Try again, or click Show the answer."


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
        (F.lstm(64, 6), "total", "64*(64+6)+64", "LSTM has four gates, each with its own"),
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


def test_leaving_the_box_then_clicking_check_is_one_attempt():
    q = Quiz("?", 10, hints=("first hint", "second hint"))
    q.answer_box.value = "3"  # the click moves the focus out of the box: the value is sent
    q.button.click()  # ... and then the click itself arrives
    assert q.attempts == 1
    assert q.feedback == f"Not quite: 3 is not it. Hint: first hint {TRY_AGAIN}"


def test_checking_the_same_answer_again_says_so(monkeypatch):
    monkeypatch.setattr(quiz_module, "SAME_GESTURE_SECONDS", 0)  # the click comes later
    q = Quiz("?", 10, hints=("first hint", "second hint"))
    q.answer_box.value = "3"  # Enter
    q.button.click()
    again = f"You already tried 3: Not quite: 3 is not it. Hint: first hint {TRY_AGAIN}"
    assert q.feedback == again
    q.button.click()
    assert q.feedback == again
    assert q.check("1 + 2") == again
    assert q.attempts == 1
    q.answer_box.value = "4"
    assert q.feedback == "Not quite: 4 is not it. Hint: second hint\nThe answer: 10."
    assert q.attempts == 2


def test_a_right_answer_counts_once():
    q = Quiz("?", 10)
    q.answer_box.value = "2*5"
    q.button.click()
    q.button.click()
    assert q.feedback == "Right: 10."
    assert (q.attempts, q.solved) == (1, True)


def test_the_example_is_not_an_answer():
    q = Quiz("?", 7232)
    assert q.answer_box.placeholder == "a number, or arithmetic such as 2*(3 + 4)"
    assert q.answer_box.description == "Answer"
    assert q.check("") == "Type a number, or arithmetic such as 2*(3 + 4)."


@pytest.mark.parametrize(
    "breakdown,ask,expected",
    [
        (
            F.batch_normalization(32),
            "trainable",
            "Right: 64. The trainable weights are gamma + beta: "
            "features + features = 32 + 32 = 64.",
        ),
        (
            F.batch_normalization(32),
            "non_trainable",
            "Right: 64. The non-trainable weights are moving_mean + moving_variance: "
            "features + features = 32 + 32 = 64.",
        ),
        (
            F.batch_normalization(16, center=False),
            "trainable",
            "Right: 16. The trainable weight is gamma: features = 16.",
        ),
        (F.dense(3, 4), "non_trainable", "Right: 0. It has no non-trainable weights."),
        (F.dense(3, 4), "total", "Right: 15. input_dim * units + units = 4 * 3 + 3 = 15"),
    ],
)
def test_right_answer_explains_the_figure_asked_for(breakdown, ask, expected):
    q = Quiz("?", breakdown, ask=ask)
    assert q.check(str(getattr(breakdown, ask))) == expected


@pytest.mark.parametrize(
    "typed,shown",
    [("31400.5", "31,400.5"), ("-2.25", "-2.25"), ("10/3", "10/3"), ("12345/1000", "12.345")],
)
def test_fractions_are_shown_exactly(typed, shown):
    q = Quiz("?", 10)
    assert q.check(typed) == (f"{shown} is not a whole number: the answer is one. {TRY_AGAIN}")


def test_an_unexpected_error_is_shown_not_raised(monkeypatch):
    def crash(text):
        raise SystemError("AST constructor recursion depth mismatch (before=48, after=47)")

    monkeypatch.setattr(quiz_module, "parse", crash)
    q = Quiz("?", 10)
    q.answer_box.value = "3"
    assert q.feedback == (
        "Something went wrong checking that answer (SystemError: AST constructor recursion "
        "depth mismatch (before=48, after=47)). Please try again or tell your instructor."
    )
    assert q.attempts == 0
    assert "Something went wrong" in q._feedback.value


def test_display_keeps_the_text_and_adds_a_static_question(monkeypatch):
    from paramlab.ui import _display, _stand_in

    shown = []
    monkeypatch.setattr(
        _display, "display", lambda b, metadata=None, raw=False: shown.append((b, metadata))
    )
    Quiz("How many < 10?", 7)._ipython_display_()
    ((bundle, metadata),) = shown
    assert bundle["text/plain"] == "Quiz: How many < 10?"
    assert bundle["text/html"] == (
        "<div class='paramlab-static'><p><b>How many &lt; 10?</b></p>"
        "<p style='margin:0.3em 0 0 0'><i>To answer it, run the set-up cell at the top of this "
        "notebook first (or Run All), then this cell.</i></p></div>"
    )
    assert metadata[_stand_in.STAND_IN_KEY] == {
        "stand_in": True,
        "question": {
            "kind": "Quiz",
            "text": "How many < 10?",
            "answer_keys": [answer_key("How many < 10?", 7)],
        },
    }


@pytest.mark.parametrize(
    ("breakdown", "expected"),
    [
        (
            F.lstm(64, 64),
            "Right: 33,024. 4 * (units * (units + input_dim) + units) = "
            "4 * (64 * (64 + 64) + 64) = 33,024",
        ),
        (
            F.gru(32, 10),
            "Right: 4,224. 3 * (units * (units + input_dim) + units) + 3 * units = "
            "3 * (32 * (32 + 10) + 32) + 3 * 32 = 4,224",
        ),
        (
            F.bidirectional(F.lstm(50, 768)),
            "Right: 327,600. 2 * (4 * (units * (units + input_dim) + units)) = "
            "2 * 163,800 = 327,600",
        ),
    ],
)
def test_recurrent_answers_are_explained_in_the_lessons_formula(breakdown, expected):
    quiz = Quiz("?", breakdown)
    assert quiz.check(str(breakdown.total)) == expected
