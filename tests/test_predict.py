"""Predict: the real figure is computed only after the prediction is committed, the prediction
cannot change afterwards, the gap is said in words, and the stand-in never holds the figure."""

from __future__ import annotations

import ast
import json
import sys
from fractions import Fraction

import pytest

from paramlab.core import formulas, links
from paramlab.ui import _display, _stand_in
from paramlab.ui.questions.predict import (
    ANSWER_KEY_ENV,
    FROM_FORMULA,
    LOCKED,
    Outcome,
    Predict,
)
from tools.notebook_parts import course_notebooks

QUESTION = "Conv1D(32, 5) on 45x45 grey images: how many parameters?"


class Recorder:
    """A `reveal` function that counts its calls."""

    def __init__(self, value=7232, explanation="(5 * 45 + 1) * 32 = 7,232") -> None:
        self.calls = 0
        self.value = value
        self.explanation = explanation

    def __call__(self):
        self.calls += 1
        return self.value if self.explanation is None else (self.value, self.explanation)


def test_reveal_waits_for_the_commit():
    reveal = Recorder()
    p = Predict(QUESTION, reveal, unit="parameters")
    p.prediction_box.value = "5*5*32 + 32"
    assert reveal.calls == 0
    assert p.feedback == (
        "You predict 832 parameters. Click Commit and run to lock it in and see the real figure."
    )
    assert "7,232" not in p._feedback.value
    assert (p.committed, p.result, p.attempts, p.solved) == (False, None, 0, False)
    p.button.click()
    assert reveal.calls == 1
    assert (p.attempts, p.solved) == (1, True)  # a revealed prediction: nothing is left to do
    assert p.feedback == (
        f"Your prediction: 832 parameters. {LOCKED}\n"
        "The real figure: 7,232 parameters.\n"
        "Your prediction is 6,400 too low: the real figure is 8.7 times it.\n"
        "(5 * 45 + 1) * 32 = 7,232"
    )
    assert p.result == Outcome(Fraction(832), Fraction(7232), "(5 * 45 + 1) * 32 = 7,232")
    assert p.result.difference == -6400


def test_the_prediction_is_locked_after_commit():
    reveal = Recorder()
    p = Predict(QUESTION, reveal)
    p.prediction_box.value = "7232"
    p.button.click()
    assert p.prediction_box.disabled
    assert p.prediction_box.tooltip == LOCKED
    assert p.button.disabled
    p.prediction_box.value = "1"  # even from code
    assert p.prediction_box.value == "7232"
    assert p.prediction == 7232
    assert p.commit() == p.feedback
    p.button.click()
    assert reveal.calls == 1
    assert p.feedback.splitlines()[2] == "Exactly right: your prediction is the real figure."
    assert "#007A5A" in p._feedback.value  # _style.GREEN_TEXT: AA on white


def test_an_unreadable_prediction_is_not_committed():
    reveal = Recorder()
    p = Predict(QUESTION, reveal)
    p.prediction_box.value = "__import__('os')"
    assert "Only numbers, + - * / and parentheses" in p.feedback
    p.button.click()
    assert "Only numbers" in p.feedback
    assert (reveal.calls, p.committed, p.prediction_box.disabled) == (0, False, False)
    p.button.click()  # an empty box
    p.prediction_box.value = ""
    assert p.feedback == "Type a number, or arithmetic such as 2*(3 + 4)."
    assert reveal.calls == 0


@pytest.mark.parametrize(
    ("typed", "actual", "gap"),
    [
        ("7232 * 4", 7232, "Your prediction is 21,696 too high: it is 4 times the real figure."),
        ("7000", 7232, "Your prediction is 232 too low (3% below the real figure)."),
        ("7233", 7232, "Your prediction is 1 too high (less than 1% above the real figure)."),
        ("5", 0, "Your prediction is 5 too high."),
        ("-3", 4, "Your prediction is 7 too low."),
        ("0.1", 0.1, "Exactly right: your prediction is the real figure."),
        ("10/4", Fraction(5, 2), "Exactly right: your prediction is the real figure."),
        ("12.5", 10, "Your prediction is 2.5 too high (25% above the real figure)."),
    ],
)
def test_the_gap_is_said_in_words(typed, actual, gap):
    p = Predict("?", actual)
    p.prediction_box.value = typed
    lines = p.commit().splitlines()
    assert lines[2] == gap
    assert len(lines) == 3


def test_a_plain_number_and_explain():
    p = Predict("Dense(10) on 784 inputs?", 7850, unit="parameters", explain="784 * 10 + 10.")
    p.prediction_box.value = "7,840"
    assert p.commit() == (
        f"Your prediction: 7,840 parameters. {LOCKED}\n"
        "The real figure: 7,850 parameters.\n"
        "Your prediction is 10 too low (less than 1% below the real figure).\n"
        "784 * 10 + 10."
    )


def test_a_keras_layer_is_built_only_after_commit():
    built = []

    def count() -> int:
        import keras

        layer = keras.layers.Dense(10)
        layer.build((None, 784))
        built.append(layer)
        return layer.count_params()

    p = Predict("Dense(10) on 784 inputs?", count, unit="parameters")
    p.prediction_box.value = "7850"
    assert built == []
    p.button.click()
    assert len(built) == 1
    assert p.result.exact


def test_a_failing_reveal_is_shown_and_can_run_again():
    outcomes = [RuntimeError("no GPU"), 7232]

    def flaky():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    p = Predict("?", flaky)
    p.prediction_box.value = "832"
    p.button.click()
    assert p.feedback == (
        "Your prediction, 832, is locked in. Something went wrong computing the real figure "
        "(RuntimeError: no GPU). Please try again or tell your instructor."
    )
    assert p.committed and p.result is None
    assert p.prediction_box.disabled
    assert (p.button.description, p.button.disabled) == ("Run again", False)
    p.button.click()
    assert p.result == Outcome(Fraction(832), Fraction(7232))


def test_a_reveal_returning_no_number_is_shown():
    p = Predict("?", lambda: "7232")
    p.prediction_box.value = "1"
    p.button.click()
    assert p.feedback == (
        "Your prediction, 1, is locked in. Something went wrong computing the real figure "
        "(TypeError: `reveal` must return a number or a (number, explanation) pair. "
        "Received: reveal()='7232' (of type str)). Please try again or tell your instructor."
    )


def test_the_stand_in_holds_the_question_not_the_figure(monkeypatch):
    shown = []
    monkeypatch.setattr(
        _display, "display", lambda b, metadata=None, raw=False: shown.append((b, metadata))
    )
    reveal = Recorder()
    p = Predict(QUESTION, reveal, unit="parameters", explain="5 * 45 * 32 + 32")
    p._ipython_display_()
    ((bundle, metadata),) = shown
    assert _stand_in.WIDGET_VIEW in bundle
    assert metadata[_stand_in.STAND_IN_KEY] == {  # a function's figure is not computed to show it
        "stand_in": True,
        "question": {"kind": "Predict", "text": QUESTION, "answer_keys": []},
    }
    assert bundle["text/plain"] == (
        f"Predict: {QUESTION}\n"
        "Type your prediction and commit it; only then is the real figure computed."
    )
    assert "<b>Conv1D(32, 5) on 45x45 grey images: how many parameters?</b>" in bundle["text/html"]
    assert "To make your prediction, run the set-up cell at the top" in bundle["text/html"]
    for static in (bundle["text/plain"], bundle["text/html"]):
        assert "7232" not in static and "7,232" not in static and "45 * 32" not in static
    assert reveal.calls == 0


def test_controls_have_labels():
    p = Predict("?", 1)
    assert p.prediction_box.description == "Prediction"
    assert p.button.description == "Commit and run"
    with pytest.raises(AttributeError):
        p.feedback = "x"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (
            (None, 3),
            {},
            TypeError,
            r"`question` must be a string\. "
            r"Received: question=None \(of type NoneType\)",
        ),
        (("", 3), {}, ValueError, r"`question` must not be empty\. Received: question=''"),
        (
            ("?", "7232"),
            {},
            TypeError,
            r"`reveal` must be a number, or a function returning a number or a \(number, "
            r"explanation\) pair\. Received: reveal='7232' \(of type str\)",
        ),
        (("?", True), {}, TypeError, r"Received: reveal=True \(of type bool\)"),
        (
            ("?", float("nan")),
            {},
            ValueError,
            r"`reveal` must be a finite number\. Received: reveal=nan",
        ),
        (
            ("?", lambda layer: 1),
            {},
            TypeError,
            r"`reveal` must be a number or a function that takes no arguments \(it is called "
            r"once, after the learner commits\)\. Received: reveal=<function .*> "
            r"\(of signature \(layer\)\)",
        ),
        (("?", 3), {"unit": 3}, TypeError, r"`unit` must be a string\. Received: unit=3"),
        (("?", 3), {"explain": None}, TypeError, r"Received: explain=None"),
    ],
)
def test_bad_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        Predict(*args, **kwargs)


def test_predict_is_public():
    import paramlab

    assert paramlab.Predict is Predict
    assert "Predict" in paramlab.__all__


# --- without Keras (the browser edition), and the formula beside the Keras figure ---------------

CONV1D_FORMULA = formulas.conv1d(32, 5, 45).total  # (5 * 45 + 1) * 32 = 7,232


@pytest.fixture
def no_keras(monkeypatch):
    """As in the browser edition: Keras cannot be imported, no course remote is named."""
    monkeypatch.setitem(sys.modules, "keras", None)
    monkeypatch.delenv(links.REMOTE_ENV, raising=False)
    monkeypatch.delenv(ANSWER_KEY_ENV, raising=False)


def test_without_keras_the_formula_figure_is_revealed_and_said_so(no_keras):
    reveal = Recorder()
    explain = "Every filter spans 45 channels."
    p = Predict(QUESTION, reveal, unit="parameters", explain=explain, formula=CONV1D_FORMULA)
    assert p.formula == 7232
    p.prediction_box.value = "5*5*32 + 32"
    p.button.click()
    assert reveal.calls == 0
    assert FROM_FORMULA == (
        "This figure is paramlab's formula; the full course computes it with Keras."
    )
    assert p.feedback == (
        f"Your prediction: 832 parameters. {LOCKED}\n"
        "The real figure: 7,232 parameters.\n"
        "Your prediction is 6,400 too low: the real figure is 8.7 times it.\n"
        f"{FROM_FORMULA}\n"
        "Every filter spans 45 channels."
    )
    assert p.result == Outcome(Fraction(832), Fraction(7232), FROM_FORMULA)
    assert (p.attempts, p.solved, p.button.description) == (1, True, "Revealed")


def test_without_keras_nor_formula_the_full_course_is_named(no_keras, monkeypatch):
    def count_with_keras():
        from keras import layers  # fails here, as in the browser

        return layers.Dense(10).count_params()

    p = Predict(QUESTION, count_with_keras, unit="parameters")
    p.prediction_box.value = "832"
    p.button.click()
    assert p.feedback == (
        "Your prediction, 832 parameters, is locked in. The real figure is computed by Keras, "
        "in the full course (Keras is not in this browser edition): clone the course and run "
        "`make lab`."
    )
    assert (p.button.description, p.button.disabled) == ("Needs Keras", True)
    assert p.prediction_box.disabled and p.result is None and p.attempts == 0
    monkeypatch.setenv(links.REMOTE_ENV, "https://github.com/example/paramlab")
    monkeypatch.setenv("JPY_SESSION_NAME", "03_the_cs231n_confusion.ipynb")
    p = Predict(QUESTION, count_with_keras, unit="parameters")
    p.prediction_box.value = "832"
    assert p.commit().endswith(
        "(Keras is not in this browser edition): open this notebook on Binder "
        "(https://mybinder.org/v2/gh/example/paramlab/main?urlpath="
        "lab%2Ftree%2Fnotebooks%2F03_the_cs231n_confusion.ipynb) or clone the course and run "
        "`make lab`."
    )


def test_with_keras_the_formula_changes_nothing_on_screen(monkeypatch):
    monkeypatch.delenv(ANSWER_KEY_ENV, raising=False)
    reveal, plain = Recorder(), Recorder()
    p = Predict(QUESTION, reveal, unit="parameters", formula=CONV1D_FORMULA)
    q = Predict(QUESTION, plain, unit="parameters")
    assert reveal.calls == 0 and p.answer_keys() == []
    for question in (p, q):
        question.prediction_box.value = "832"
        question.button.click()
    assert reveal.calls == 1 and p.feedback == q.feedback
    assert FROM_FORMULA not in p.feedback


def keras_conv1d() -> tuple[int, str]:
    import keras

    layer = keras.layers.Conv1D(32, 5)
    layer.build((None, 45, 45))
    return layer.count_params(), "(5 * 45 + 1) * 32"


def test_storing_outputs_checks_the_formula_against_keras(monkeypatch):
    monkeypatch.setenv(ANSWER_KEY_ENV, "1")
    p = Predict(QUESTION, keras_conv1d, unit="parameters", formula=CONV1D_FORMULA)
    assert p.answer_figures() == (7232,)
    with pytest.raises(
        ValueError,
        match=r"`formula` must give the figure Keras computes for this question: Keras computes "
        r"7,232, the formula gives 832\. Received: formula=832, reveal\(\)=7232$",
    ):
        Predict(QUESTION, keras_conv1d, formula=formulas.conv2d(32, 5, 1).total)
    monkeypatch.delenv(ANSWER_KEY_ENV)
    Predict(QUESTION, keras_conv1d, formula=832)  # a learner's kernel never builds it to check


def test_the_answer_key_is_computed_once_when_checked(monkeypatch):
    monkeypatch.setenv(ANSWER_KEY_ENV, "1")
    reveal = Recorder()
    p = Predict(QUESTION, reveal, formula=7232)
    assert reveal.calls == 1
    assert p.answer_figures() == (7232,) and reveal.calls == 1


@pytest.mark.parametrize(
    ("formula", "error", "message"),
    [
        (
            "7232",
            TypeError,
            r"`formula` must be a number: the figure by paramlab's formulas\. "
            r"Received: formula='7232' \(of type str\)",
        ),
        (
            formulas.dense(10, 784),
            TypeError,
            r"Received: formula=Breakdown\(.*\(of type Breakdown\)",
        ),
        (False, TypeError, r"Received: formula=False \(of type bool\)"),
        (float("inf"), ValueError, r"`formula` must be a finite number\. Received: formula=inf"),
    ],
)
def test_bad_formulas(formula, error, message):
    with pytest.raises(error, match=message):
        Predict("?", Recorder(), formula=formula)


def predict_calls(source: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "paramlab.Predict"
    ]


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem)
def test_every_predict_computed_by_keras_has_a_formula(path):
    """The browser edition reveals `formula=` where the course calls a function: every
    Predict whose reveal is not a plain number must give one (tools.run_notebooks checks it
    against Keras)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code" or "paramlab.Predict(" not in "".join(cell["source"]):
            continue
        for call in predict_calls("".join(cell["source"])):
            reveal = call.args[1] if len(call.args) > 1 else None
            reveal = reveal or next(k.value for k in call.keywords if k.arg == "reveal")
            if isinstance(reveal, ast.Constant):
                continue
            named = [k.arg for k in call.keywords]
            assert "formula" in named, f"{path.name} cell {cell.get('id')}: no formula="
            formula = next(k.value for k in call.keywords if k.arg == "formula")
            assert not isinstance(formula, ast.Constant), f"{path.name}: compute the formula"
