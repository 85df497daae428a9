"""Choice: pick one option, or all that apply; each pick is answered with its own explanation.

Every option says whether it is right and why. A wrong option is a known misconception, and its
explanation says what is wrong with it. The feedback explains what the learner picked and never
an option they did not pick, so a wrong try does not give the answer away.

Only Check submits: changing the selection is not an attempt. One distinct selection is one
attempt, as in `Quiz`: the same selection checked again is not counted and says "You already
tried <selection>:" before the feedback it got the first time.

"None of these" is an option like any other: add it, marked right, and pass `multiple=True`, so
the learner weighs every option (strides, padding, dilation, sequence length, batch size: which
of them change Conv1D's parameter count? None).

Each attempt, and each display, goes into the learner's record (`paramlab.progress()`): the
slips of a wrong attempt are the wrong options picked (`picked "strides"`), or `INCOMPLETE`
when every pick was right but some right option was left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ipywidgets as W

from paramlab.core.answer_key import numbers_in
from paramlab.ui._aria import named
from paramlab.ui.questions._base import Question, Verdict, check_button, check_text

PICK_ONE = "Pick one:"
PICK_ALL = "Tick all that apply:"
INCOMPLETE = "a right option left out"
_FIGURE = re.compile(r"^\s*\d[\d,_]*(?:\s+[A-Za-z-]+)?\s*$")  # "7,200 parameters"
_BLANK = {False: "( )", True: "[ ]"}  # text/plain markers: a radio button, a checkbox
_HTML_BLANK = {False: "○", True: "☐"}


@dataclass(frozen=True)
class Option:
    """One option: its `label` as the learner reads it, whether it is `right`, and why.

    For a wrong option, `explanation` says why the misconception is wrong; for a right one, why
    it is right. The learner reads it only after picking the option and clicking Check.
    """

    label: str
    right: bool
    explanation: str


class Choice(Question):
    """`Choice(question, options, *, explain="", multiple=False)`.

    `options` holds `Option`s or `(label, right, explanation)` tuples, in the order shown.
    With `multiple=False` (radio buttons) exactly one option is right; with `multiple=True`
    (checkboxes) the answer is the set of right options, one or more. `explain` is said once the
    answer is right, after the explanations of the options picked. `answer` is the set of
    right labels; `attempts`, `solved` and `feedback` are as `Quiz`'s.
    """

    kind = "Choice"

    def __init__(
        self,
        question: str,
        options: Sequence[Option | tuple[str, bool, str]],
        *,
        explain: str = "",
        multiple: bool = False,
    ) -> None:
        super().__init__(question)
        self.explain = check_text("explain", explain)
        if not isinstance(multiple, bool):
            raise TypeError(
                "`multiple` must be True or False. "
                f"Received: multiple={multiple!r} (of type {type(multiple).__name__})"
            )
        self.multiple = multiple
        self.options = _options(options, multiple=multiple)
        self.answer = frozenset(o.label for o in self.options if o.right)
        labels = [o.label for o in self.options]
        self.radio: W.RadioButtons | None = None
        self.boxes: dict[str, W.Checkbox] = {}
        if multiple:
            self.boxes = {
                label: W.Checkbox(
                    value=False, description=label, indent=False, layout=W.Layout(width="auto")
                )
                for label in labels
            }
        else:
            self.radio = W.RadioButtons(
                options=labels,
                value=None,
                description="Answer",
                style={"description_width": "initial"},
                layout=W.Layout(width="auto"),
            )
        self.button = check_button()
        self.button.on_click(self._on_click)

    @property
    def selection(self) -> tuple[str, ...]:
        """The labels now picked in the widget, in the order the options are shown."""
        if self.radio is not None:
            return () if self.radio.value is None else (self.radio.value,)
        return tuple(label for label, box in self.boxes.items() if box.value)

    def select(self, *labels: str) -> None:
        """Pick exactly `labels` in the widget (as a learner would), without checking."""
        picked = self._selection(labels)
        if self.radio is not None:
            self.radio.value = picked[0] if picked else None
        else:
            for label, box in self.boxes.items():
                box.value = label in picked

    def _on_click(self, _button: W.Button) -> None:
        self.submit()

    def submit(self) -> str:
        """Check what is picked in the widget; returns (and shows) the feedback."""
        return self.check(self.selection)

    def check(self, labels: str | Iterable[str]) -> str:
        """Judge the selection `labels` and show the feedback; an unexpected error is shown.

        A label that is not an option raises ValueError: that is the author's slip, not the
        learner's (the widget offers only the options).
        """
        picked = self._selection((labels,) if isinstance(labels, str) else tuple(labels))
        return self._guarded("checking that answer", lambda: self._check(picked))

    def _selection(self, labels: tuple[str, ...]) -> tuple[str, ...]:
        known = [o.label for o in self.options]
        unknown = [label for label in labels if label not in known]
        if unknown:
            raise ValueError(
                f"{unknown[0]!r} is not one of the options {known}. Received: selection={labels!r}"
            )
        picked = tuple(label for label in known if label in labels)
        if len(picked) > 1 and not self.multiple:
            raise ValueError(
                "This question takes one option; pass `multiple=True` to allow several. "
                f"Received: selection={labels!r}"
            )
        return picked

    def answer_figures(self) -> tuple[int, ...]:
        """The figure of each right option that is a figure ("7,200", "7,200 parameters"): a
        Choice between counts. Numbers inside a longer label (a shape) are not its answer."""
        return tuple(
            sorted({n for label in self.answer if _FIGURE.match(label) for n in numbers_in(label)})
        )

    def _check(self, picked: tuple[str, ...]) -> str:
        if not picked:
            tell = "Tick at least one option" if self.multiple else "Pick an option"
            return self._show_info(f"{tell}, then click Check.")
        return self._attempt(frozenset(picked), _listed(picked), lambda: self._judge(picked))

    def _show_wrong(self, message: str) -> str:
        """With several picks, each line in its own colour: a pick marked right in the colour of
        right, a wrong pick (and the head line) in the colour of wrong."""
        if not self.multiple:
            return super()._show_wrong(message)
        right = {f"{label}: right." for label in self.answer}
        return self._show_lines(
            [
                (line, "right" if any(line.startswith(r) for r in right) else "wrong")
                for line in message.split("\n")
            ]
        )

    def _judge(self, picked: tuple[str, ...]) -> Verdict:
        if frozenset(picked) == self.answer:
            return Verdict(True, self._right(picked))
        wrong = [f'picked "{label}"' for label in picked if label not in self.answer]
        return Verdict(False, self._wrong(picked), tuple(wrong) or (INCOMPLETE,))

    def _right(self, picked: tuple[str, ...]) -> str:
        if not self.multiple:
            (label,) = picked
            return " ".join(filter(None, [f"Right: {label}.", self._why(label), self.explain]))
        lines = [f"Right: {_listed(picked)}.", *self._explained(picked, marked=False)]
        return "\n".join(filter(None, [*lines, self.explain]))

    def _wrong(self, picked: tuple[str, ...]) -> str:
        if not self.multiple:
            (label,) = picked
            return " ".join(filter(None, [f"Not quite: {label}.", self._why(label)]))
        wrong = [label for label in picked if label not in self.answer]
        if not wrong:
            head = "Not quite: what you picked is right, but it is not everything that is right."
        elif len(wrong) == len(picked):
            head = (
                f"Not quite: {'none of your picks is' if len(picked) > 1 else 'that is not'} right."
            )
        else:
            verb = "is" if len(wrong) == 1 else "are"
            head = f"Not quite: {len(wrong)} of your {len(picked)} picks {verb} not right."
        return "\n".join([head, *self._explained(picked, marked=True)])

    def _explained(self, picked: tuple[str, ...], *, marked: bool) -> list[str]:
        """One line per option picked: its label, whether it is right (if `marked`), and why."""
        lines = []
        for label in picked:
            verdict = ("right." if label in self.answer else "not right.") if marked else ""
            lines.append(" ".join(filter(None, [f"{label}:", verdict, self._why(label)])))
        return lines

    def _why(self, label: str) -> str:
        return next(o.explanation for o in self.options if o.label == label).strip()

    def _controls(self) -> list[W.Widget]:
        if self.radio is not None:
            return [self.radio, self.button]
        return [W.Label(PICK_ALL), *self.boxes.values(), self.button]

    def _stand_in_lines(self) -> list[str]:
        """How to answer, then every option as text, unmarked."""
        blank = _BLANK[self.multiple]
        head = PICK_ALL if self.multiple else PICK_ONE
        return [head, *(f"{blank} {o.label}" for o in self.options)]

    def _stand_in_body(self) -> str:
        """How to answer, then every option as HTML, unmarked."""
        blank = _HTML_BLANK[self.multiple]
        items = "".join(f"<li>{blank} {html.escape(o.label)}</li>" for o in self.options)
        return (
            f"<p style='margin:0.3em 0 0 0'>{PICK_ALL if self.multiple else PICK_ONE}</p>"
            f"<ul style='list-style:none;padding-left:0.5em;margin:0'>{items}</ul>"
        )

    def _view(self) -> W.Widget:
        return named(self.widget())


def _listed(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def _options(options: object, *, multiple: bool) -> tuple[Option, ...]:
    """`options` as `Option`s, checked: two or more, distinct labels, the right number right."""
    if isinstance(options, str | bytes) or not isinstance(options, Sequence):
        raise TypeError(
            "`options` must be a list of (label, right, explanation) tuples or Options. "
            f"Received: options={options!r} (of type {type(options).__name__})"
        )
    checked = tuple(_option(option) for option in options)
    labels = [o.label for o in checked]
    if len(checked) < 2:
        raise ValueError(
            f"`options` must hold at least two options to choose from. Received: options={labels!r}"
        )
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise ValueError(
            "Option labels must be distinct, or the learner cannot tell them apart. "
            f"Received: options={labels!r} ({', '.join(map(repr, twice))} more than once)"
        )
    right = [o.label for o in checked if o.right]
    if not right:
        raise ValueError(
            'At least one option must be right; to ask for "none of these", add it as an option '
            f"marked right. Received: options={labels!r} (none marked right)"
        )
    if len(right) > 1 and not multiple:
        raise ValueError(
            "Several options are right, so the learner must be able to tick several: pass "
            f"`multiple=True`. Received: multiple=False (right: {', '.join(map(repr, right))})"
        )
    return checked


def _option(option: object) -> Option:
    if isinstance(option, Option):
        label, right, explanation = option.label, option.right, option.explanation
    elif isinstance(option, tuple) and len(option) == 3:
        label, right, explanation = option
    else:
        raise TypeError(
            "Each option must be a (label, right, explanation) tuple or an Option. "
            f"Received: option={option!r}"
        )
    if not isinstance(right, bool):
        raise TypeError(
            f"The `right` of option {label!r} must be True or False. "
            f"Received: right={right!r} (of type {type(right).__name__})"
        )
    check_text("label", label, empty=False)
    check_text("explanation", explanation)
    return Option(label.strip(), right, explanation)
