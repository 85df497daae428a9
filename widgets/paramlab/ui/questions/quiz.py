"""Quiz: the learner types a number or an arithmetic expression; feedback names the slip.

The feedback is staged, so a wrong try does not hand over the answer: the first wrong answer
names the slip in words (the bias, the input channels, the four gates) or gives the first hint,
without the figure; from the second wrong answer on, the slip is said with the lesson's numbers
and the answer is shown, worked out term by term. "Show the answer" shows it at any time. No
hint, slip text or question text may write the answer itself: that is refused when the Quiz is
made (`paramlab.core.answer_key.gives_away`).

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

import time
from collections.abc import Mapping, Sequence
from fractions import Fraction

import ipywidgets as W

from paramlab.core._arith import ArithmeticInputError, parse
from paramlab.core.answer_key import gives_away
from paramlab.core.slips import ASKS, named_slips
from paramlab.core.terms import Breakdown, fmt
from paramlab.ui.questions._base import (
    SHOW_ANSWER,
    Question,
    Verdict,
    check_button,
    controls_row,
    exactly,
    number_box,
)

SAME_GESTURE_SECONDS = 1.5
FIGURE_AFTER = 2
"""The wrong try from which the feedback shows the figure: the first names the slip only."""


class Quiz(Question):
    """`Quiz(question, answer, hints=...)`.

    `answer` is an int, or a `Breakdown` (then the classic slips for it are diagnosed and the
    right answer is explained term by term); `ask` picks total, trainable or non_trainable.
    `slips` adds {wrong value: explanation} of your own. Each new wrong attempt reveals one hint.
    """

    kind = "Quiz"

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
        super().__init__(question)
        self.ask = ask
        self.breakdown = answer if isinstance(answer, Breakdown) else None
        own = dict(slips or {})
        classic = named_slips(self.breakdown, ask) if self.breakdown is not None else {}
        if self.breakdown is not None:
            self.answer = getattr(self.breakdown, ask)
            self.slips = {**{v: slip.message for v, slip in classic.items()}, **own}
            # the first wrong try's words: the slip named without its numbers
            self._words = {**{v: slip.words for v, slip in classic.items()}, **own}
        elif isinstance(answer, int) and not isinstance(answer, bool):
            self.answer = answer
            self.slips = own
            self._words = dict(own)
        else:
            raise TypeError(
                "`answer` must be an int or a Breakdown. "
                f"Received: answer={answer!r} (of type {type(answer).__name__})"
            )
        # wrong value -> the slip's name in the learner's record
        self._slip_names = {**{v: slip.name for v, slip in classic.items()}, **own}
        self.hints = tuple(hints)
        _refuse_give_aways(self.answer, question, self.hints, own)
        self._box_submitted: tuple[str, float] | None = None  # text, time
        self.answer_box = number_box("Answer")
        self.button = check_button()
        self.button.on_click(self._on_click)
        self.answer_box.observe(self._on_value, names="value")
        self.show_button = W.Button(
            description=SHOW_ANSWER, tooltip="Show the answer and how it comes about"
        )
        self.show_button.on_click(lambda _button: self.show_answer())

    def answer_figures(self) -> tuple[int, ...]:
        return (self.answer,)

    def show_answer(self) -> str:
        """Show the answer and how it comes about (on request); the record says it was shown."""
        return self._guarded("showing the answer", lambda: self._show_info(self._answer_line()))

    def _answer_line(self) -> str:
        self._mark_revealed()
        self.show_button.disabled = True
        return f"The answer: {fmt(self.answer)}.{self._why()}"

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
        return self._guarded("checking that answer", lambda: self._check(text))

    def _check(self, text: str) -> str:
        try:
            value = parse(text)
        except ArithmeticInputError as err:
            return self._show_info(str(err))
        return self._attempt(value, exactly(value), lambda: self._judge(value))

    def _judge(self, value: Fraction) -> Verdict:
        if value == self.answer:
            return Verdict(True, f"Right: {fmt(self.answer)}.{self._why()}")
        slip = self._slip_names.get(int(value)) if value.denominator == 1 else None
        message = self._wrong(value, attempt=self.attempts + 1)
        return Verdict(False, message, (slip,) if slip else ())

    def _wrong(self, value: Fraction, *, attempt: int) -> str:
        figure = attempt >= FIGURE_AFTER
        if value.denominator != 1:
            message = f"{exactly(value)} is not a whole number: the answer is one."
        elif (number := int(value)) in self.slips:
            slip = self.slips[number] if figure else self._words[number]
            message = f"Not quite: {fmt(number)}. {slip}"
        else:
            hint = self.hints[min(attempt, len(self.hints)) - 1] if self.hints else ""
            message = f"Not quite: {fmt(number)} is not it."
            message = f"{message} Hint: {hint}" if hint else message
        if not figure:
            return f"{message} Try again, or click {SHOW_ANSWER}."
        return f"{message}\n{self._answer_line()}"

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

    def _controls(self) -> list[W.Widget]:
        return [controls_row(self.answer_box, self.button, self.show_button)]


def _refuse_give_aways(
    answer: int, question: str, hints: Sequence[str], slips: Mapping[int, str]
) -> None:
    """ValueError if the question, a hint or a slip text of the author's writes the answer."""
    texts = [("question", question), *((f"hints[{i}]", h) for i, h in enumerate(hints))]
    texts += [(f"slips[{value}]", text) for value, text in slips.items()]
    for name, text in texts:
        if not isinstance(text, str):
            raise TypeError(
                f"`{name}` must be a string. Received: {name}={text!r} "
                f"(of type {type(text).__name__})"
            )
        if gives_away(text, answer):
            raise ValueError(
                f"`{name}` gives the answer away: it writes {fmt(answer)}, which the learner "
                f"should work out. Received: {name}={text!r}"
            )
