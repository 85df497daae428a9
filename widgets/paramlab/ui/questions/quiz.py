"""Quiz: the learner types a number or an arithmetic expression; feedback names the slip.

One answer is one attempt, however it is submitted. The answer box submits when its value
changes (Enter, or leaving the box); clicking Check submits too. Clicking Check moves the focus
out of the box, so in a browser one click after typing produces both events: a click within
`SAME_GESTURE_SECONDS` of the box submitting the same text is that same gesture and does
nothing more. A value already tried, submitted again later by either route, is not counted and
reveals no new hint: the feedback repeats, prefixed "You already tried <value>:".

Each attempt, and each display, goes into the learner's record (`paramlab.progress()`), with
the slip it showed by name (`paramlab.core.slips`; a slip of your own is named by its message).
"""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence
from fractions import Fraction

import ipywidgets as W

from paramlab.core._arith import EXAMPLE, ArithmeticInputError, parse
from paramlab.core.slips import ASKS, named_slips
from paramlab.core.terms import Breakdown, fmt
from paramlab.records._progress import record_attempt, record_shown
from paramlab.ui._display import show

SAME_GESTURE_SECONDS = 1.5
RUN_TO_ANSWER = "Run this cell in Jupyter to answer it."
# Okabe-Ito's bluish green and vermillion, darkened to read as text on white at WCAG AA
# (4.5:1 or more: 5.34, 5.50 and 12.63; the palette's own #009E73 and #D55E00 are 3.42 and 3.87).
_COLOURS = {"right": "#007A5A", "wrong": "#B34700", "info": "#333333"}
_MARKS = {"right": "✔ ", "wrong": "✘ ", "info": ""}


class Quiz:
    """`Quiz(question, answer, hints=...)`.

    `answer` is an int, or a `Breakdown` (then the classic slips for it are diagnosed and the
    right answer is explained term by term); `ask` picks total, trainable or non_trainable.
    `slips` adds {wrong value: explanation} of your own. Each new wrong attempt reveals one hint.
    """

    def __init__(
        self,
        question: str,
        answer: int | Breakdown,
        hints: Sequence[str] = (),
        *,
        slips: Mapping[int, str] | None = None,
        ask: str = "total",
    ) -> None:
        if ask not in ASKS:
            raise ValueError(f"`ask` must be one of {ASKS}. Received: ask={ask!r}")
        self.question = question
        self.ask = ask
        self.breakdown = answer if isinstance(answer, Breakdown) else None
        own = dict(slips or {})
        classic = named_slips(self.breakdown, ask) if self.breakdown is not None else {}
        if self.breakdown is not None:
            self.answer = getattr(self.breakdown, ask)
            self.slips = {**{v: slip.message for v, slip in classic.items()}, **own}
        elif isinstance(answer, int) and not isinstance(answer, bool):
            self.answer = answer
            self.slips = own
        else:
            raise TypeError(
                "`answer` must be an int or a Breakdown. "
                f"Received: answer={answer!r} (of type {type(answer).__name__})"
            )
        # wrong value -> the slip's name in the learner's record
        self._slip_names = {**{v: slip.name for v, slip in classic.items()}, **own}
        self.hints = tuple(hints)
        self.attempts = 0
        self.solved = False
        self.feedback = ""
        self._tried: dict[Fraction, str] = {}  # value -> the feedback it got
        self._box_submitted: tuple[str, float] | None = None  # text, time
        self.answer_box = W.Text(
            description="Answer",
            placeholder=f"a number, or arithmetic such as {EXAMPLE}",
            continuous_update=False,
        )
        self.button = W.Button(
            description="Check", button_style="primary", tooltip="Check your answer"
        )
        self._feedback = W.HTML()
        self.button.on_click(self._on_click)
        self.answer_box.observe(self._on_value, names="value")

    def _on_value(self, change: Mapping[str, object]) -> None:
        self._box_submitted = (self.answer_box.value, time.monotonic())
        self.submit()

    def _on_click(self, _button: W.Button) -> None:
        if self._box_submitted is not None:
            text, when = self._box_submitted
            same = text == self.answer_box.value
            if same and time.monotonic() - when < SAME_GESTURE_SECONDS:
                return  # the click that moved the focus out of the box: already checked
        self.submit()

    def submit(self) -> str:
        """Check what is in the answer box; returns (and shows) the feedback."""
        return self.check(self.answer_box.value)

    def check(self, text: str) -> str:
        """Judge `text` and show the feedback; an unexpected error is shown, never raised."""
        try:
            return self._check(text)
        except Exception as err:  # a kernel callback's traceback would reach no learner
            detail = f"{type(err).__name__}: {err}"
            if len(detail) > 120:
                detail = detail[:119] + "…"
            return self._show(
                f"Something went wrong checking that answer ({detail}). "
                "Please try again or tell your instructor.",
                kind="info",
            )

    def _check(self, text: str) -> str:
        try:
            value = parse(text)
        except ArithmeticInputError as err:
            return self._show(str(err), kind="info")
        if value == self.answer:
            message = f"Right: {fmt(self.answer)}.{self._why()}"
            if not self.solved:
                self.attempts += 1
                self.solved = True
                record_attempt("Quiz", self.question, solved=True)
            return self._show(message, kind="right")
        if value in self._tried:
            again = f"You already tried {_show_value(value)}: {self._tried[value]}"
            return self._show(again, kind="wrong")
        message = self._wrong(value, attempt=self.attempts + 1)
        self.attempts += 1
        self._tried[value] = message
        slip = self._slip_names.get(int(value)) if value.denominator == 1 else None
        record_attempt("Quiz", self.question, solved=False, slips=[slip] if slip else [])
        return self._show(message, kind="wrong")

    def _wrong(self, value: Fraction, *, attempt: int) -> str:
        if value.denominator != 1:
            return f"{_show_value(value)} is not a whole number: a parameter count always is."
        number = int(value)
        if number in self.slips:
            return f"Not quite: {fmt(number)}. {self.slips[number]}"
        hint = self.hints[min(attempt, len(self.hints)) - 1] if self.hints else ""
        message = f"Not quite: {fmt(number)} is not it."
        return f"{message} Hint: {hint}" if hint else message

    def _why(self) -> str:
        """How the right answer comes about: the breakdown's sum of the terms asked for."""
        if self.breakdown is None:
            return ""
        if self.ask == "total":
            return f" {self.breakdown.explanation}"
        trainable = self.ask == "trainable"
        terms = [t for t in self.breakdown.terms if t.trainable == trainable]
        kind = "trainable" if trainable else "non-trainable"
        if not terms:
            return f" It has no {kind} weights."
        names = " + ".join(t.path for t in terms)
        symbols = " + ".join(t.symbols for t in terms)
        values = " + ".join(t.values for t in terms)
        total = fmt(sum(t.count for t in terms))
        steps = dict.fromkeys([symbols, values, total])  # drop repeats: `features = 16`, not `= 16`
        sums = " = ".join(steps)
        weights = f"weight is {names}" if len(terms) == 1 else f"weights are {names}"
        return f" The {kind} {weights}: {sums}."

    def _show(self, message: str, *, kind: str) -> str:
        self.feedback = message
        self._feedback.value = (
            f"<div role='status' style='color:{_COLOURS[kind]}'>"
            f"{_MARKS[kind]}{html.escape(message)}</div>"
        )
        return message

    def widget(self) -> W.VBox:
        prompt = W.HTML(f"<b>{html.escape(self.question)}</b>")
        return W.VBox([prompt, W.HBox([self.answer_box, self.button]), self._feedback])

    def static_html(self) -> str:
        """What a notebook shows without a kernel: the question, and how to answer it."""
        return (
            f"<div class='paramlab-static'><p><b>{html.escape(self.question)}</b></p>"
            f"<p style='margin:0.3em 0 0 0'><i>{RUN_TO_ANSWER}</i></p></div>"
        )

    def _ipython_display_(self) -> None:
        record_shown("Quiz", self.question)
        show(self.widget(), f"Quiz: {self.question}", html_text=self.static_html())


def _show_value(value: Fraction) -> str:
    """Exactly, with thousands separators: `31,400.5`; `10/3` where decimals never end."""
    if value.denominator == 1:
        return fmt(int(value))
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{fmt(value.numerator)}/{fmt(value.denominator)}"
    places = max(twos, fives)
    scaled = abs(value.numerator) * 10**places // value.denominator
    whole, decimals = divmod(scaled, 10**places)
    sign = "-" if value < 0 else ""
    return f"{sign}{fmt(whole)}.{decimals:0{places}d}"
