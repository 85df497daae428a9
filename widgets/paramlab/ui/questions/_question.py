"""What the question widgets beside `Quiz` share: feedback rendering, the error guard, the
static stand-in, and argument checks in Keras' voice.

Widget layer. The colours, marks and the "run this cell" line are `Quiz`'s own, imported
from `paramlab.ui.questions.quiz` so every question in the course looks and reads the same;
`Quiz` is unchanged.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import ipywidgets as W

from paramlab.ui.questions.quiz import _COLOURS, _MARKS, RUN_TO_ANSWER

SORRY = "Please try again or tell your instructor."
_DETAIL_LENGTH = 120


def feedback_html(message: str, *, kind: str) -> str:
    """`message` (one or more lines) as the live status line, coloured and marked as Quiz's."""
    return (
        f"<div role='status' style='color:{_COLOURS[kind]};white-space:pre-line'>"
        f"{_MARKS[kind]}{html.escape(message)}</div>"
    )


def went_wrong(doing: str, err: BaseException) -> str:
    """What a learner reads when a callback fails: what failed, the error in brief, what to do."""
    detail = f"{type(err).__name__}: {err}"
    if len(detail) > _DETAIL_LENGTH:
        detail = detail[: _DETAIL_LENGTH - 1] + "…"
    return f"Something went wrong {doing} ({detail}). {SORRY}"


def guarded(doing: str, action: Callable[[], str], show: Callable[[str], str]) -> str:
    """Run `action`; an unexpected error is shown with `show`, never raised into the kernel."""
    try:
        return action()
    except Exception as err:  # a kernel callback's traceback would reach no learner
        return show(went_wrong(doing, err))


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


def static_text(kind: str, question: str, lines: Sequence[str] = ()) -> str:
    """The text/plain stand-in: `Kind: question`, then the given lines (never the answer)."""
    return "\n".join([f"{kind}: {question}", *lines])


def static_html(question: str, body: str = "", *, note: str = RUN_TO_ANSWER) -> str:
    """The text/html stand-in, as Quiz's: the question in bold, `body` (HTML), how to answer."""
    return (
        f"<div class='paramlab-static'><p><b>{html.escape(question)}</b></p>{body}"
        f"<p style='margin:0.3em 0 0 0'><i>{html.escape(note)}</i></p></div>"
    )


class FeedbackLine:
    """The status line under a question: what it shows, as plain text and as coloured HTML."""

    def __init__(self) -> None:
        self._message = ""
        self._feedback = W.HTML()

    @property
    def feedback(self) -> str:
        """The feedback now shown, as plain text ("" before the first answer)."""
        return self._message

    def _show_info(self, message: str) -> str:
        return self._show(message, kind="info")

    def _show(self, message: str, *, kind: str) -> str:
        self._message = message
        self._feedback.value = feedback_html(message, kind=kind)
        return message
