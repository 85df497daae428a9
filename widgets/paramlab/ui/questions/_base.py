"""The question family's base: what `Quiz`, `Choice` and `Predict` share, in one class.

`Question` owns the feedback line (plain text in `feedback`, coloured and marked HTML in the
widget), the guard around its callbacks (`paramlab.ui._guard`), the attempt counting (one
attempt per distinct answer, recorded in the learner's record, "You already tried" for an
answer given before), the static stand-in (the question, never the answer) and the display.

A subclass sets `kind` (its name in the record and the stand-in), calls
`super().__init__(question)`, and defines `_controls()` (what sits between the question and
the feedback); it may add lines to the stand-in (`_stand_in_lines`, `_stand_in_body`) and say
how to answer (`note`). It judges an answer with `_attempt(key, said, judge)`, `judge`
returning a `Verdict`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import ClassVar

import ipywidgets as W

from paramlab.core._arith import EXAMPLE
from paramlab.core._style import FEEDBACK_COLOURS, FEEDBACK_MARKS
from paramlab.core.answer_key import answer_key
from paramlab.core.terms import fmt
from paramlab.records._progress import (
    QuestionRecord,
    record_attempt,
    record_revealed,
    record_shown,
)
from paramlab.ui._display import SET_UP_FIRST, show
from paramlab.ui._guard import guarded

RUN_TO_ANSWER = f"To answer it, {SET_UP_FIRST}, then this cell."
SHOW_ANSWER = "Show the answer"
QUESTION_CLASS = "paramlab-question"
FIT_CSS = f"""<style>
.{QUESTION_CLASS} .widget-radio-box label, .{QUESTION_CLASS} .widget-checkbox label {{
  white-space: normal; overflow-wrap: anywhere; height: auto; line-height: 1.3;
}}
.{QUESTION_CLASS} .widget-radio-box, .{QUESTION_CLASS} .widget-checkbox {{
  max-width: 100%; height: auto;
}}
</style>"""
"""ipywidgets keeps an option's label on one line; a long one would run past a narrow notebook."""


@dataclass(frozen=True)
class Verdict:
    """One answer judged: whether it is right, what the learner reads, and the slips it showed
    (by name, for the learner's record)."""

    right: bool
    message: str
    slips: tuple[str, ...] = ()


class Question:
    """Base of the question family: see the module docstring. `attempts` counts the distinct
    answers checked (a right one once); `solved` says whether one was right."""

    kind: ClassVar[str]
    note: ClassVar[str] = RUN_TO_ANSWER  # the stand-in's last line: how to answer it

    def __init__(self, question: str) -> None:
        self.question = check_text("question", question, empty=False)
        self.attempts = 0
        self.solved = False
        self._message = ""
        self._feedback = W.HTML()
        self._tried: dict[Hashable, str] = {}  # a wrong answer -> the feedback it got
        self.revealed = False  # whether the answer has been shown
        self.earlier: QuestionRecord | None = None  # this question's record from before

    @property
    def feedback(self) -> str:
        """The feedback now shown, as plain text ("" before the first answer)."""
        return self._message

    # --- the feedback line and the guard ----------------------------------------------------

    def _show(self, message: str, *, tone: str) -> str:
        """Show `message` (one or more lines) as "right", "wrong" or "info"; return it."""
        return self._show_lines([(message, tone)])

    def _show_lines(self, lines: Sequence[tuple[str, str]]) -> str:
        """Show several lines, each with its own tone (a Choice's right and wrong picks);
        return them as plain text."""
        self._message = "\n".join(text for text, _ in lines)
        parts = [
            f"<div style='color:{FEEDBACK_COLOURS[tone]};white-space:pre-line'>"
            f"{FEEDBACK_MARKS[tone]}{html.escape(text)}</div>"
            for text, tone in lines
        ]
        self._feedback.value = f"<div role='status'>{''.join(parts)}</div>"
        return self._message

    def _show_info(self, message: str) -> str:
        return self._show(message, tone="info")

    def _guarded(
        self, doing: str, action: Callable[[], str], show: Callable[[str], str] | None = None
    ) -> str:
        """`action()`; an unexpected error is shown (with `_show_info` unless `show` is given),
        never raised into the kernel."""
        return guarded(doing, action, show or self._show_info)

    # --- attempts ---------------------------------------------------------------------------

    def _attempt(self, key: Hashable, said: str, judge: Callable[[], Verdict]) -> str:
        """Check the answer `key` (`said` as the learner reads it), judged by `judge`, and show
        the feedback. A right answer is counted once; a wrong one is counted the first time
        only, and again says "You already tried <said>:" before what it got then."""
        if key in self._tried:
            return self._show_wrong(f"You already tried {said}: {self._tried[key]}")
        verdict = judge()
        if verdict.right:
            if not self.solved:
                self._count(solved=True, answer=said)
            return self._show(verdict.message, tone="right")
        self._tried[key] = verdict.message
        self._count(solved=False, slips=verdict.slips)
        return self._show_wrong(verdict.message)

    def _show_wrong(self, message: str) -> str:
        """Show a wrong try's feedback (a subclass may colour its lines one by one)."""
        return self._show(message, tone="wrong")

    def _count(
        self,
        *,
        solved: bool,
        slips: Sequence[str] = (),
        prediction: str | None = None,
        actual: str | None = None,
        answer: str | None = None,
    ) -> None:
        """One attempt, counted here and in the learner's record (`paramlab.progress()`)."""
        self.attempts += 1
        self.solved = self.solved or solved
        record_attempt(
            self.kind,
            self.question,
            solved=solved,
            slips=slips,
            prediction=prediction,
            actual=actual,
            answer=answer,
        )

    def _mark_revealed(self) -> None:
        """The answer is now on screen: say so here and in the learner's record."""
        if not self.revealed:
            self.revealed = True
            record_revealed(self.kind, self.question)

    # --- the answer, kept off the screen -----------------------------------------------------

    def answer_figures(self) -> tuple[int, ...]:
        """The figures this question asks for (none for a question not about a number)."""
        return ()

    def answer_keys(self) -> list[str]:
        """`paramlab.core.answer_key` of each figure asked for: stored with the output (never
        shown), so a test can find the answer on screen before the question."""
        return [answer_key(self.question, figure) for figure in self.answer_figures()]

    # --- coming back ------------------------------------------------------------------------

    def welcome_back(self, record: QuestionRecord) -> str:
        """What a learner who met this question before reads when it is shown again."""
        tries = f"{record.attempts} {'try' if record.attempts == 1 else 'tries'}"
        if record.solved:
            how = f" with {record.answer}" if record.answer else ""
            after = " (after the answer was shown)" if record.revealed else ""
            return f"You solved this before{how}, in {tries}{after}. Try it again if you like."
        if record.revealed:
            return f"Last time the answer was shown after {tries}. Try it again now."
        if record.attempts:
            return f"You tried this before ({tries}, not solved yet). Try again."
        return ""

    # --- display ----------------------------------------------------------------------------

    def _controls(self) -> Sequence[W.Widget]:
        """What sits between the question and the feedback: the boxes and buttons."""
        raise NotImplementedError

    def widget(self) -> W.VBox:
        """The live question: the question in bold, the controls, the feedback line; its long
        option labels wrap, so it fits a narrow notebook (`FIT_CSS`)."""
        prompt = W.HTML(f"{FIT_CSS}<b>{html.escape(self.question)}</b>")
        box = W.VBox([prompt, *self._controls(), self._feedback], layout=W.Layout(width="100%"))
        box.add_class(QUESTION_CLASS)
        return box

    def _stand_in_lines(self) -> Sequence[str]:
        """The text/plain stand-in's lines after the question (never the answer)."""
        return ()

    def _stand_in_body(self) -> str:
        """The HTML stand-in's body between the question and `note` (never the answer)."""
        return ""

    def static_text(self) -> str:
        """The text/plain stand-in: `Kind: question`, then `_stand_in_lines()`."""
        return "\n".join([f"{self.kind}: {self.question}", *self._stand_in_lines()])

    def static_html(self) -> str:
        """What a notebook shows without a kernel: the question in bold, the body, the note."""
        return (
            f"<div class='paramlab-static'><p><b>{html.escape(self.question)}</b></p>"
            f"{self._stand_in_body()}"
            f"<p style='margin:0.3em 0 0 0'><i>{html.escape(self.note)}</i></p></div>"
        )

    def _view(self) -> W.Widget:
        """What is displayed live: the widget (a subclass may wrap it)."""
        return self.widget()

    def _ipython_display_(self) -> None:
        self.earlier = record_shown(self.kind, self.question)
        back = self.welcome_back(self.earlier) if self.earlier is not None else ""
        if back and not self._message:
            self._show_info(back)
        show(
            self._view(),
            self.static_text(),
            html_text=self.static_html(),
            question={"kind": self.kind, "text": self.question, "answer_keys": self.answer_keys()},
        )


def controls_row(*children: W.Widget) -> W.HBox:
    """The answer box and its buttons, side by side, wrapping onto a new line when narrow."""
    return W.HBox(list(children), layout=W.Layout(flex_flow="row wrap", max_width="100%"))


def check_button() -> W.Button:
    """The button that checks an answer."""
    return W.Button(description="Check", button_style="primary", tooltip="Check your answer")


def number_box(description: str) -> W.Text:
    """A box for a number or arithmetic such as `2*(3 + 4)`, read when it changes (Enter, or
    leaving the box). Wide enough for its whole placeholder, and no wider than a narrow
    notebook."""
    return W.Text(
        description=description,
        placeholder=f"a number, or arithmetic such as {EXAMPLE}",
        continuous_update=False,
        layout=W.Layout(width="30em", max_width="100%"),
    )


def check_text(name: str, value: object, *, empty: bool = True) -> str:
    """`value` if it is a string (non-blank unless `empty`), else Keras' TypeError/ValueError."""
    if not isinstance(value, str):
        raise TypeError(
            f"`{name}` must be a string. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    if not empty and not value.strip():
        raise ValueError(f"`{name}` must not be empty. Received: {name}={value!r}")
    return value


def exactly(value: Fraction) -> str:
    """`value` exactly, with thousands separators: `31,400.5`; `10/3` where decimals never
    end."""
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
