"""Quiz: the learner types a number or an arithmetic expression; feedback names the slip."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from fractions import Fraction

import ipywidgets as W

from paramlab._arith import ArithmeticInputError, parse
from paramlab._display import display_with_text
from paramlab.slips import ASKS, classic_slips
from paramlab.terms import Breakdown, fmt


class Quiz:
    """`Quiz(question, answer, hints=...)`.

    `answer` is an int, or a `Breakdown` (then the classic slips for it are diagnosed and the
    right answer is explained term by term); `ask` picks total, trainable or non_trainable.
    `slips` adds {wrong value: explanation} of your own. Each wrong attempt reveals one hint.
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
        self.breakdown = answer if isinstance(answer, Breakdown) else None
        if self.breakdown is not None:
            self.answer = getattr(self.breakdown, ask)
            self.slips = {**classic_slips(self.breakdown, ask), **dict(slips or {})}
        elif isinstance(answer, int) and not isinstance(answer, bool):
            self.answer = answer
            self.slips = dict(slips or {})
        else:
            raise TypeError(
                "`answer` must be an int or a Breakdown. "
                f"Received: answer={answer!r} (of type {type(answer).__name__})"
            )
        self.hints = tuple(hints)
        self.attempts = 0
        self.solved = False
        self.answer_box = W.Text(
            placeholder="a number or e.g. 5*45*32 + 32", continuous_update=False
        )
        self.button = W.Button(description="Check", button_style="primary")
        self._feedback = W.HTML()
        self.feedback = ""
        self.button.on_click(lambda _: self.submit())
        self.answer_box.observe(lambda _: self.submit(), names="value")

    def submit(self) -> str:
        """Check what is in the answer box; returns (and shows) the feedback."""
        return self.check(self.answer_box.value)

    def check(self, text: str) -> str:
        try:
            value = parse(text)
        except ArithmeticInputError as err:
            return self._show(str(err), kind="info")
        self.attempts += 1
        if value == self.answer:
            self.solved = True
            why = f" {self.breakdown.expression}" if self.breakdown is not None else ""
            return self._show(f"Right: {fmt(self.answer)}.{why}", kind="right")
        if value.denominator != 1:
            return self._show(
                f"{_show_value(value)} is not a whole number: a parameter count always is.",
                kind="wrong",
            )
        number = int(value)
        if number in self.slips:
            return self._show(f"Not quite: {fmt(number)}. {self.slips[number]}", kind="wrong")
        hint = self.hints[min(self.attempts, len(self.hints)) - 1] if self.hints else ""
        message = f"Not quite: {fmt(number)} is not it."
        return self._show(f"{message} Hint: {hint}" if hint else message, kind="wrong")

    def _show(self, message: str, *, kind: str) -> str:
        self.feedback = message
        colour = {"right": "#009E73", "wrong": "#D55E00", "info": "#333333"}[kind]
        mark = {"right": "✔ ", "wrong": "✘ ", "info": ""}[kind]
        self._feedback.value = f"<div style='color:{colour}'>{mark}{html.escape(message)}</div>"
        return message

    def widget(self) -> W.VBox:
        prompt = W.HTML(f"<b>{html.escape(self.question)}</b>")
        return W.VBox([prompt, W.HBox([self.answer_box, self.button]), self._feedback])

    def _ipython_display_(self) -> None:
        display_with_text(self.widget(), f"Quiz: {self.question}")


def _show_value(value: Fraction) -> str:
    return f"{float(value):,.4g}"
