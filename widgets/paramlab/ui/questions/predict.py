"""Predict: the learner commits a prediction, and only then is the real figure computed.

Predicting before running is what makes the run teach: the gap between the two is the lesson.
The prediction is a number or arithmetic such as `5*45*32 + 32`, read by the same safe parser
as `Quiz`'s. Typing only previews how the box is read. The Commit button locks the prediction
in (the box is disabled, and says why) and then, and only then, computes `reveal`, once.

`reveal` is a number, or a function of no arguments returning a number or a
(number, explanation) pair: typically one that builds the Keras layer and returns its
`count_params()`. If that function fails, the error is shown in the widget and the button
offers to run it again; the prediction stays as it was committed.

Where there is no Keras (the browser edition) a function cannot be called: `formula` is then
the figure shown, the same number by paramlab's formula core (`formulas.dense(32, 20).total`),
and the feedback says so. Without a `formula` the feedback says the figure is computed by
Keras in the full course, and how to get there. When the course's outputs are stored
(`ANSWER_KEY_ENV`), a `formula` is checked against the figure Keras computes.

Each revealed prediction, and each display, goes into the learner's record
(`paramlab.progress()`): the prediction, the real figure, and as its slip whether the
prediction was too low or too high. A revealed Predict counts as solved: nothing is left to do.
"""

from __future__ import annotations

import html
import inspect
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction

import ipywidgets as W

from paramlab.bridge._keras_build import NO_KERAS_HERE, keras_available
from paramlab.core._arith import ArithmeticInputError, parse
from paramlab.core.links import to_full_course
from paramlab.ui._display import SET_UP_FIRST, full_course_link
from paramlab.ui.questions._base import (
    Question,
    check_text,
    controls_row,
    exactly,
    number_box,
)

Number = int | float | Fraction
Reveal = Number | Callable[[], Number | tuple[Number, str]]

COMMIT = "Commit and run"
LOCKED = "Locked in before the run, so it cannot change now."
HOW = "Type your prediction and commit it; only then is the real figure computed."
RUN_TO_PREDICT = f"To make your prediction, {SET_UP_FIRST}, then this cell."
RETURNED = "reveal()"
TOO_LOW, TOO_HIGH = "a prediction too low", "a prediction too high"
ANSWER_KEY_ENV = "PARAMLAB_ANSWER_KEY"
"""Set (to 1) by the tools that store the course's outputs: a Predict whose figure is a function
then computes it once when shown, only to store its answer key (never on screen), and checks
its `formula` against it."""
FROM_FORMULA = "This figure is paramlab's formula; the full course computes it with Keras."
BY_KERAS = f"The real figure is computed by Keras, in the full course ({NO_KERAS_HERE})"
NEEDS_KERAS = "Needs Keras"


@dataclass(frozen=True)
class Outcome:
    """A committed prediction beside the real figure (`actual`), both exact, and why it is so."""

    prediction: Fraction
    actual: Fraction
    explanation: str = ""

    @property
    def difference(self) -> Fraction:
        """`prediction - actual`: negative when the prediction was too low."""
        return self.prediction - self.actual

    @property
    def exact(self) -> bool:
        return self.prediction == self.actual

    def gap(self) -> str:
        """How far off the prediction is, in words: by how much, and as a factor or percent."""
        if self.exact:
            return "Exactly right: your prediction is the real figure."
        off = exactly(abs(self.difference))
        how = f"Your prediction is {off} too {'low' if self.difference < 0 else 'high'}"
        if self.prediction > 0 and self.actual > 0:
            ratio = self.actual / self.prediction
            if ratio >= 2:
                return f"{how}: the real figure is {_times(ratio)} times it."
            if ratio <= Fraction(1, 2):
                return f"{how}: it is {_times(1 / ratio)} times the real figure."
        else:  # a percentage of a figure of the other sign, or of zero, says nothing
            return f"{how}."
        percent = abs(self.difference) / abs(self.actual) * 100
        share = "less than 1%" if percent < 1 else f"{round(percent)}%"
        side = "below" if self.difference < 0 else "above"
        return f"{how} ({share} {side} the real figure)."


class Predict(Question):
    """`Predict(question, reveal, *, unit="", explain="", formula=None)`: predict, commit,
    then see the figure.

    `reveal` is the real figure: a number, or a function of no arguments that computes it
    (returning the number, or a (number, explanation) pair), called only after the learner
    commits. `unit` follows every figure shown ("parameters"); `explain` is said after the
    figure is revealed. A revealed prediction is one attempt, and solves the question.
    `formula` is the same figure by paramlab's formula core, revealed instead where there is no
    Keras to call a function `reveal` (see the module docstring).
    """

    kind = "Predict"
    note = RUN_TO_PREDICT

    def __init__(
        self,
        question: str,
        reveal: Reveal,
        *,
        unit: str = "",
        explain: str = "",
        formula: Number | None = None,
    ) -> None:
        super().__init__(question)
        self.unit = check_text("unit", unit).strip()
        self.explain = check_text("explain", explain).strip()
        if callable(reveal):
            _check_no_arguments(reveal)
        else:
            _number("reveal", reveal)
        self._reveal = reveal
        self.formula = None if formula is None else _number("formula", formula)
        self._key: tuple[Fraction, str] | None = None  # the figure computed for the answer key
        if callable(reveal) and self.formula is not None and _storing() and keras_available():
            self._check_formula()
        self.prediction: Fraction | None = None
        self.result: Outcome | None = None
        self._committed_text = ""
        self.prediction_box = number_box("Prediction")
        self.button = W.Button(
            description=COMMIT,
            button_style="primary",
            tooltip="Lock in your prediction, then compute the real figure",
        )
        self.button.on_click(self._on_click)
        self.prediction_box.observe(self._on_value, names="value")

    @property
    def committed(self) -> bool:
        """Whether the prediction is locked in (the real figure may still be failing to run)."""
        return self.prediction is not None

    def answer_figures(self) -> tuple[int, ...]:
        """The figure, if it is a number, or computed when the course's outputs are stored."""
        if callable(self._reveal) and not _storing():
            return ()
        try:
            figure = (self._key or self._compute())[0]
        except Exception:  # the learner's commit says what fails; a key is not worth an error
            return ()
        return (int(figure),) if figure.denominator == 1 else ()

    def _check_formula(self) -> None:
        """The figure Keras computes must be `formula`'s (ValueError naming both if not). A
        reveal that fails is left to the learner's commit, as in `answer_figures`."""
        try:
            self._key = self._compute()
        except Exception:
            return
        keras_figure = self._key[0]
        if keras_figure != self.formula:
            raise ValueError(
                f"`formula` must give the figure Keras computes for this question: Keras "
                f"computes {exactly(keras_figure)}, the formula gives {exactly(self.formula)}. "
                f"Received: formula={self.formula}, reveal()={keras_figure}"
            )

    def welcome_back(self, record) -> str:
        if record.prediction is not None and record.actual is not None:
            said = self._figure(Fraction(record.prediction))
            real = self._figure(Fraction(record.actual))
            return (
                f"Last time you predicted {said}; the real figure was {real}. "
                "Predict again if you like."
            )
        return super().welcome_back(record)

    def _on_value(self, change: Mapping[str, object]) -> None:
        if self.committed:  # the box is disabled; a change from code cannot unlock it either
            if self.prediction_box.value != self._committed_text:
                self.prediction_box.value = self._committed_text
            return
        self._guarded("reading that prediction", self._preview)

    def _preview(self) -> str:
        try:
            value = parse(self.prediction_box.value)
        except ArithmeticInputError as err:
            return self._show_info(str(err))
        return self._show_info(
            f"You predict {self._figure(value)}. Click {COMMIT} to lock it in and see the real "
            "figure."
        )

    def _on_click(self, _button: W.Button) -> None:
        self.commit()

    def commit(self) -> str:
        """Lock in the prediction in the box, then reveal the real figure; returns the feedback.

        Once the figure is shown, committing again changes nothing and shows the same feedback.
        """
        return self._guarded("computing the real figure", self._commit, self._failed)

    def _commit(self) -> str:
        if self.result is not None:
            return self._message
        if self.prediction is None:
            try:
                value = parse(self.prediction_box.value)
            except ArithmeticInputError as err:
                return self._show_info(str(err))
            self.prediction = value
            self._committed_text = self.prediction_box.value
            self.prediction_box.disabled = True
            self.prediction_box.tooltip = LOCKED
        if callable(self._reveal) and self.formula is None and not keras_available():
            return self._without_keras(self.prediction)
        actual, explanation = self._compute()
        self.result = Outcome(self.prediction, actual, explanation)
        self._record(self.result)
        self.button.disabled = True
        self.button.description = "Revealed"
        self.button.tooltip = "Your prediction and the real figure are shown below"
        return self._show(self._report(self.result), tone="right" if self.result.exact else "wrong")

    def _compute(self) -> tuple[Fraction, str]:
        if not callable(self._reveal):
            return _number("reveal", self._reveal), ""
        if self.formula is not None and not keras_available():
            return self.formula, FROM_FORMULA
        returned = self._reveal()
        if isinstance(returned, tuple) and len(returned) == 2 and isinstance(returned[1], str):
            return _number(RETURNED, returned[0]), returned[1].strip()
        return _number(RETURNED, returned), ""

    def _without_keras(self, prediction: Fraction) -> str:
        """No Keras to compute the figure, and no formula for it: say where it is computed."""
        self.button.disabled = True
        self.button.description = NEEDS_KERAS
        self.button.tooltip = "The real figure is computed by Keras, in the full course"
        return self._show_info(
            f"Your prediction, {self._figure(prediction)}, is locked in. "
            f"{BY_KERAS}: {to_full_course(full_course_link())}."
        )

    def _record(self, result: Outcome) -> None:
        """Into the learner's record: the two figures, and whether it was low or high."""
        slips = [] if result.exact else [TOO_LOW if result.difference < 0 else TOO_HIGH]
        self._count(
            solved=True,
            slips=slips,
            prediction=str(result.prediction),
            actual=str(result.actual),
        )

    def _report(self, result: Outcome) -> str:
        lines = [
            f"Your prediction: {self._figure(result.prediction)}. {LOCKED}",
            f"The real figure: {self._figure(result.actual)}.",
            result.gap(),
        ]
        return "\n".join(filter(None, [*lines, result.explanation, self.explain]))

    def _figure(self, value: Fraction) -> str:
        return f"{exactly(value)} {self.unit}".rstrip()

    def _failed(self, message: str) -> str:
        if self.committed:  # the prediction stays; the computation may be tried again
            self.button.description = "Run again"
            self.button.tooltip = "Compute the real figure again"
            message = f"Your prediction, {self._figure(self.prediction)}, is locked in. {message}"
        return self._show_info(message)

    def _controls(self) -> list[W.Widget]:
        return [controls_row(self.prediction_box, self.button)]

    def _stand_in_lines(self) -> list[str]:
        """How to answer, never the figure."""
        return [HOW]

    def _stand_in_body(self) -> str:
        """How to answer, never the figure."""
        return f"<p style='margin:0.3em 0 0 0'>{html.escape(HOW)}</p>"


def _storing() -> bool:
    """Whether the course's outputs are being stored (`ANSWER_KEY_ENV`)."""
    return os.environ.get(ANSWER_KEY_ENV) == "1"


_MUST = {  # what each name must be; the returned value is said first: a learner sees it cut
    RETURNED: "`reveal` must return a number or a (number, explanation) pair.",
    "reveal": "`reveal` must be a number, or a function returning a number or a "
    "(number, explanation) pair.",
    "formula": "`formula` must be a number: the figure by paramlab's formulas.",
}


def _number(name: str, value: object) -> Fraction:
    """`value` as an exact Fraction (a float as it reads: 0.1 is 1/10), or Keras' TypeError."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise TypeError(
            f"{_MUST[name]} Received: {name}={value!r} (of type {type(value).__name__})"
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            what = "formula" if name == "formula" else "reveal"
            raise ValueError(f"`{what}` must be a finite number. Received: {name}={value!r}")
        return Fraction(repr(value))
    return Fraction(value)


def _check_no_arguments(reveal: Callable[..., object]) -> None:
    try:
        signature = inspect.signature(reveal)
    except (TypeError, ValueError):  # some builtins have no signature: trust them
        return
    try:
        signature.bind()
    except TypeError:
        raise TypeError(
            "`reveal` must be a number or a function that takes no arguments (it is called "
            f"once, after the learner commits). Received: reveal={reveal!r} "
            f"(of signature {signature})"
        ) from None


def _times(ratio: Fraction) -> str:
    if ratio.denominator == 1:
        return exactly(ratio)
    return f"{float(ratio):,.1f}".removesuffix(".0")
