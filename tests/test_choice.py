"""Choice: each pick answered with its own explanation, one attempt per distinct selection, a
stand-in that shows the options but not the answer, and arguments checked in Keras' voice."""

from __future__ import annotations

import pytest

from paramlab.ui import _display, _stand_in
from paramlab.ui.questions import choice as choice_module
from paramlab.ui.questions.choice import Choice, Option

CONV1D = "Which of these change Conv1D's parameter count?"
WHY = {
    "strides": "Strides set how far the window moves: the output length, not the kernel.",
    "padding": "Padding adds steps at the ends; the kernel stays (kernel_size, channels, filters).",
    "dilation": "Dilation spreads the same kernel_size weights further apart.",
    "sequence length": "The same kernel slides along any length.",
    "batch size": "The batch is None in the summary: weights are shared across samples.",
    "none of them": "Only kernel_size, input channels and filters (and the bias) count.",
}


def conv1d_choice() -> Choice:
    options = [(label, label == "none of them", why) for label, why in WHY.items()]
    return Choice(CONV1D, options, multiple=True, explain="(5 * 45 + 1) * 32 = 7,232.")


def single() -> Choice:
    return Choice(
        "How many gates does an LSTM have?",
        [
            Option("3", False, "Three is GRU."),
            Option("4", True, "Input, forget, cell and output."),
            ("1", False, "One is SimpleRNN."),
        ],
    )


def test_a_wrong_pick_shows_its_own_explanation():
    q = single()
    q.radio.value = "3"
    q.button.click()
    assert q.feedback == "Not quite: 3. Three is GRU."
    assert (q.attempts, q.solved) == (1, False)
    assert "Three is GRU" in q._feedback.value
    assert "Input, forget" not in q.feedback  # the right option's explanation is not given away


def test_the_right_pick_shows_its_explanation():
    q = single()
    q.select("4")
    q.button.click()
    assert q.feedback == "Right: 4. Input, forget, cell and output."
    assert (q.attempts, q.solved) == (1, True)
    assert "#007A5A" in q._feedback.value  # _style.GREEN_TEXT: AA on white


def test_the_same_selection_checked_again_counts_once():
    q = single()
    q.select("1")
    q.button.click()
    q.button.click()
    assert q.feedback == "You already tried 1: Not quite: 1. One is SimpleRNN."
    assert q.attempts == 1
    q.select("3")
    q.button.click()
    assert q.attempts == 2
    q.select("4")
    q.button.click()
    q.button.click()
    assert q.feedback.startswith("Right: 4.")
    assert (q.attempts, q.solved) == (3, True)


def test_changing_the_selection_is_not_an_attempt():
    q = single()
    q.radio.value = "3"
    q.radio.value = "4"
    assert (q.attempts, q.feedback) == (0, "")


def test_nothing_picked_is_not_an_attempt():
    q = single()
    q.button.click()
    assert q.feedback == "Pick an option, then click Check."
    m = conv1d_choice()
    m.button.click()
    assert m.feedback == "Tick at least one option, then click Check."
    assert q.attempts == m.attempts == 0


def test_multiple_wrong_picks_each_explained():
    q = conv1d_choice()
    q.boxes["strides"].value = True
    q.boxes["batch size"].value = True
    q.button.click()
    assert q.feedback == (
        "Not quite: none of your picks is right.\n"
        f"strides: not right. {WHY['strides']}\n"
        f"batch size: not right. {WHY['batch size']}"
    )
    assert WHY["none of them"] not in q.feedback
    assert "white-space:pre-line" in q._feedback.value


def test_a_right_pick_among_wrong_ones_is_marked():
    q = conv1d_choice()
    q.select("dilation", "none of them")
    assert q.submit() == (
        "Not quite: 1 of your 2 picks is not right.\n"
        f"dilation: not right. {WHY['dilation']}\n"
        f"none of them: right. {WHY['none of them']}"
    )


def test_none_of_them_is_right():
    q = conv1d_choice()
    q.select("none of them")
    q.button.click()
    assert q.feedback == (
        f"Right: none of them.\nnone of them: {WHY['none of them']}\n(5 * 45 + 1) * 32 = 7,232."
    )
    assert (q.attempts, q.solved) == (1, True)


def test_a_multiple_answer_must_be_complete():
    q = Choice(
        "Which are Dense weights?",
        [("kernel", True, "k"), ("bias", True, "b"), ("gamma", False, "BatchNorm's.")],
        multiple=True,
    )
    assert q.check(["kernel"]) == (
        "Not quite: what you picked is right, but it is not everything that is right.\n"
        "kernel: right. k"
    )
    assert q.check(["bias", "kernel"]).startswith("Right: kernel, bias.")
    assert q.attempts == 2
    assert q.check(["kernel", "bias"]).startswith("Right")
    assert q.attempts == 2


def test_controls_have_labels():
    q = single()
    assert q.radio.description == "Answer"
    assert q.radio.value is None
    assert [b.description for b in conv1d_choice().boxes.values()] == list(WHY)
    assert q.button.description == "Check"


def test_the_feedback_is_read_only():
    q = single()
    with pytest.raises(AttributeError):
        q.feedback = "Right"


def test_an_unexpected_error_is_shown_not_raised(monkeypatch):
    q = single()
    monkeypatch.setattr(q, "_right", lambda picked: 1 / 0)
    q.select("4")
    q.button.click()
    assert q.feedback == (
        "Something went wrong checking that answer (ZeroDivisionError: division by zero). "
        "Please try again or tell your instructor."
    )
    assert "Something went wrong" in q._feedback.value


def test_selecting_what_is_not_an_option_is_refused():
    q = single()
    with pytest.raises(
        ValueError, match=r"'5' is not one of the options .* Received: selection=\('5',\)"
    ):
        q.select("5")
    with pytest.raises(ValueError, match=r"takes one option; pass `multiple=True`"):
        q.check(["3", "4"])


def test_the_stand_in_shows_question_and_options_not_the_answer(monkeypatch):
    shown = []
    monkeypatch.setattr(
        _display, "display", lambda b, metadata=None, raw=False: shown.append((b, metadata))
    )
    conv1d_choice()._ipython_display_()
    ((bundle, metadata),) = shown
    assert _stand_in.WIDGET_VIEW in bundle
    assert metadata[_stand_in.STAND_IN_KEY] == {
        "stand_in": True,
        "question": {"kind": "Choice", "text": CONV1D, "answer_keys": []},
    }
    assert bundle["text/plain"] == "\n".join(
        [f"Choice: {CONV1D}", "Tick all that apply:", *(f"[ ] {label}" for label in WHY)]
    )
    html = bundle["text/html"]
    assert "Which of these change Conv1D&#x27;s parameter count?" in html
    assert all(f"☐ {label}</li>" in html for label in WHY)
    assert "To answer it, run the set-up cell at the top of this notebook first" in html
    for static in (bundle["text/plain"], html):
        for giveaway in (*WHY.values(), "7,232", "right", "✔"):
            assert giveaway not in static


def test_a_single_choice_stand_in():
    q = single()
    assert q.static_text() == "\n".join(
        ["Choice: How many gates does an LSTM have?", "Pick one:", "( ) 3", "( ) 4", "( ) 1"]
    )
    assert "○ 4</li>" in q.static_html()


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (
            (7, [("a", True, "")]),
            {},
            TypeError,
            r"`question` must be a string\. "
            r"Received: question=7 \(of type int\)",
        ),
        (
            ("  ", [("a", True, ""), ("b", False, "")]),
            {},
            ValueError,
            r"`question` must not be empty\. Received: question='  '",
        ),
        (
            ("?", []),
            {},
            ValueError,
            r"`options` must hold at least two options to choose from\. Received: options=\[\]",
        ),
        (("?", [("a", True, "")]), {}, ValueError, r"at least two options .* options=\['a'\]"),
        (
            ("?", "ab"),
            {},
            TypeError,
            r"`options` must be a list .* Received: options='ab' "
            r"\(of type str\)",
        ),
        (
            ("?", [("a", False, "x"), ("b", False, "y")]),
            {},
            ValueError,
            r"At least one option must be right; to ask for \"none of these\", add it as an "
            r"option marked right\. Received: options=\['a', 'b'\] \(none marked right\)",
        ),
        (
            ("?", [("a", True, "x"), ("b", False, "y"), ("a ", False, "z")]),
            {},
            ValueError,
            r"Option labels must be distinct, or the learner cannot tell them apart\. "
            r"Received: options=\['a', 'b', 'a'\] \('a' more than once\)",
        ),
        (
            ("?", [("a", True, "x"), ("b", True, "y")]),
            {},
            ValueError,
            r"Several options are right, so the learner must be able to tick several: pass "
            r"`multiple=True`\. Received: multiple=False \(right: 'a', 'b'\)",
        ),
        (
            ("?", [("a", True, "x"), ("b", False, "y")]),
            {"multiple": 1},
            TypeError,
            r"Received: multiple=1 \(of type int\)",
        ),
        (
            ("?", [("a", 1, "x"), ("b", False, "y")]),
            {},
            TypeError,
            r"The `right` of option 'a' must be True or False\. Received: right=1 \(of type int\)",
        ),
        (
            ("?", ["a", ("b", True, "y")]),
            {},
            TypeError,
            r"Each option must be a \(label, right, explanation\) tuple or an Option\. "
            r"Received: option='a'",
        ),
        (
            ("?", [(3, True, "x"), ("b", False, "y")]),
            {},
            TypeError,
            r"Received: label=3 \(of type int\)",
        ),
        (("?", [("", True, "x"), ("b", False, "y")]), {}, ValueError, r"Received: label=''"),
        (
            ("?", [("a", True, None), ("b", False, "y")]),
            {},
            TypeError,
            r"`explanation` must be a string\. Received: explanation=None",
        ),
        (
            ("?", [("a", True, "x"), ("b", False, "y")]),
            {"explain": 5},
            TypeError,
            r"Received: explain=5",
        ),
    ],
)
def test_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        Choice(*args, **kwargs)


def test_choice_is_public():
    import paramlab

    assert paramlab.Choice is Choice
    assert "Choice" in paramlab.__all__
    assert choice_module.Option("a", True, "x").right is True
