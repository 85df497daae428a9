"""`paramlab.progress()`: where a learner stands across the course.

Reads the record the questions keep (`paramlab.records._progress`) and shows, per notebook, the
questions solved, open (attempted, not solved yet) and not attempted (displayed only), and the
slips made, with counts; then which questions are open or not attempted, and each prediction
beside its real figure. As text (`str`) and as an HTML table (`_repr_html_`), as
`paramlab.Report` is. Rendering only; pure: no keras, no ipywidgets.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from paramlab.core._style import CELL_LEFT, CELL_RIGHT
from paramlab.core.terms import counted, fmt
from paramlab.records import _progress
from paramlab.records._progress import NOT_ATTEMPTED, OPEN, SOLVED, UNKNOWN_NOTEBOOK, Records

HEAD = ("Notebook", "Solved", "Open", "Not attempted", "Slips made")


@dataclass(frozen=True)
class QuestionProgress:
    """One question as the learner left it: `status` is "solved", "open" or "not attempted"."""

    notebook: str
    question: str
    kind: str
    status: str
    attempts: int
    slips: tuple[tuple[str, int], ...] = ()
    prediction: Fraction | None = None
    actual: Fraction | None = None
    revealed: bool = False  # the answer was shown (on request, or after a second wrong try)


@dataclass(frozen=True)
class NotebookProgress:
    """The questions of one notebook, in the order the learner first met them."""

    name: str
    questions: tuple[QuestionProgress, ...]

    def with_status(self, status: str) -> tuple[QuestionProgress, ...]:
        return tuple(q for q in self.questions if q.status == status)

    @property
    def solved(self) -> tuple[QuestionProgress, ...]:
        return self.with_status(SOLVED)

    @property
    def open(self) -> tuple[QuestionProgress, ...]:
        return self.with_status(OPEN)

    @property
    def not_attempted(self) -> tuple[QuestionProgress, ...]:
        return self.with_status(NOT_ATTEMPTED)

    @property
    def slips(self) -> tuple[tuple[str, int], ...]:
        """Each slip made in this notebook and how often, the most frequent first."""
        counts: Counter[str] = Counter()
        for q in self.questions:
            counts.update(dict(q.slips))
        return tuple(counts.most_common())  # ties keep the order first met


@dataclass(frozen=True)
class ProgressReport:
    """Where the learner stands, per notebook; `path` is where the record is kept, and
    `saved` False when it could not be written there (then it lasts only this kernel)."""

    notebooks: tuple[NotebookProgress, ...]
    path: str
    saved: bool = True

    def notebook(self, name: str) -> NotebookProgress:
        for nb in self.notebooks:
            if nb.name == name:
                return nb
        raise KeyError(f"no notebook named {name!r}; there are {[n.name for n in self.notebooks]}")

    @property
    def questions(self) -> tuple[QuestionProgress, ...]:
        return tuple(q for nb in self.notebooks for q in nb.questions)

    def headline(self) -> str:
        qs = self.questions
        if not qs:
            return "paramlab progress: no questions yet. Answer one and it appears here."
        n = {s: sum(q.status == s for q in qs) for s in (SOLVED, OPEN, NOT_ATTEMPTED)}
        return (
            f"paramlab progress: {fmt(n[SOLVED])} of {counted(len(qs), 'question')} solved, "
            f"{fmt(n[OPEN])} open, {fmt(n[NOT_ATTEMPTED])} not attempted"
        )

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """The table: one row per notebook, cells as shown."""
        return [
            (
                nb.name,
                fmt(len(nb.solved)),
                fmt(len(nb.open)),
                fmt(len(nb.not_attempted)),
                ", ".join(f"{slip} ({fmt(n)})" for slip, n in nb.slips) or "none",
            )
            for nb in self.notebooks
        ]

    def sections(self) -> list[tuple[str, list[str]]]:
        """Below the table: what is open, what is not attempted, each prediction."""
        qs = self.questions
        open_ = [
            f"{q.notebook}: {q.question} ({counted(q.attempts, 'attempt')})"
            for q in qs
            if q.status == OPEN
        ]
        waiting = [f"{q.notebook}: {q.question}" for q in qs if q.status == NOT_ATTEMPTED]
        predicted = [
            f"{q.notebook}: {q.question} — you predicted {_figure(q.prediction)}; "
            f"the real figure is {_figure(q.actual)}."
            for q in qs
            if q.prediction is not None and q.actual is not None
        ]
        shown = [
            f"{q.notebook}: {q.question}" + (" (solved after)" if q.status == SOLVED else "")
            for q in qs
            if q.revealed
        ]
        found = [
            ("Open (attempted, not solved yet):", open_),
            ("Answer shown (worth another try on your own):", shown),
            ("Not attempted yet:", waiting),
            ("Predictions:", predicted),
        ]
        return [(title, lines) for title, lines in found if lines]

    def footer(self) -> str:
        if self.saved:
            return f"Saved in {self.path}"
        return (
            f"Not saved: {self.path} could not be written, so this record lasts only until the "
            f"kernel stops. Set the environment variable {_progress.ENV} to a writable file."
        )

    def __str__(self) -> str:
        out = [self.headline()]
        if self.notebooks:
            table = [HEAD, *self.rows()]
            widths = [max(len(row[i]) for row in table) for i in range(4)]
            out.append("")
            for name, *counts, slips in table:
                cells = [f"{c:>{w}}" for c, w in zip(counts, widths[1:], strict=True)]
                out.append(f"{name:<{widths[0]}}  {'  '.join(cells)}  {slips}".rstrip())
        for title, lines in self.sections():
            out += ["", title, *(f"  {line}" for line in lines)]
        out += ["", self.footer()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        parts = ['<div class="paramlab-progress">', f"<p><b>{e(self.headline())}</b></p>"]
        if self.notebooks:
            styles = (CELL_LEFT, CELL_RIGHT, CELL_RIGHT, CELL_RIGHT, CELL_LEFT)
            head = "".join(
                f"<th style='{s}'>{e(h)}</th>" for s, h in zip(styles, HEAD, strict=True)
            )
            body = "".join(
                "<tr>"
                + "".join(f"<td style='{s}'>{e(c)}</td>" for s, c in zip(styles, row, strict=True))
                + "</tr>"
                for row in self.rows()
            )
            parts.append(
                "<table style='border-collapse:collapse'>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
        for title, lines in self.sections():
            items = "".join(f"<li>{e(line)}</li>" for line in lines)
            parts.append(f"<p style='margin:0.6em 0 0 0'>{e(title)}</p><ul>{items}</ul>")
        parts.append(f"<p><i>{e(self.footer())}</i></p></div>")
        return "".join(parts)


def _figure(value: Fraction | None) -> str:
    if value is None:
        return "?"
    if value.denominator == 1:
        return fmt(int(value))
    return f"{fmt(value.numerator)}/{fmt(value.denominator)}"


def report_from(records: Records, path: str, *, saved: bool = True) -> ProgressReport:
    """The report for `records` (notebook -> question -> record): notebooks by name, an
    unknown notebook last; questions in the order first met."""
    names = sorted(records, key=lambda name: (name == UNKNOWN_NOTEBOOK, name))
    notebooks = []
    for name in names:
        questions = tuple(
            QuestionProgress(
                notebook=name,
                question=question,
                kind=r.kind,
                status=r.status,
                attempts=r.attempts,
                slips=tuple(r.slips.items()),
                prediction=None if r.prediction is None else Fraction(r.prediction),
                actual=None if r.actual is None else Fraction(r.actual),
                revealed=r.revealed,
            )
            for question, r in records[name].items()
        )
        if questions:
            notebooks.append(NotebookProgress(name, questions))
    return ProgressReport(tuple(notebooks), path, saved)


def progress() -> ProgressReport:
    """Where you stand across the course: print it, or show it in Jupyter as a table."""
    try:
        store = _progress.store()
    except OSError:  # no home directory: nothing was saved, and nothing can be read
        return ProgressReport((), f"~/.paramlab/{_progress.FILE_NAME}", saved=False)
    return report_from(store.records(), str(store.path), saved=store.saved)
