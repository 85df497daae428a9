"""`paramlab.room(folder)`: which slips a room of learners makes at each question.

Reads every learner's progress record (the version-1 JSON the questions keep, see
`paramlab.records._progress`)
under a folder, however the workshop gathered them: `<learner>.json`, or
`<learner>/progress.json`, or `<learner>/.paramlab/progress.json`, at any depth. A file that
cannot be read, is not JSON, or is not a version-1 record is skipped, with one warning naming
every such file. Per notebook and question it counts the learners who saw it, attempted it and
solved it, the attempts made, and each slip with the learners who made it (and how often); as
text (`str`), an HTML table (`_repr_html_`) and a bar chart (`plot()`).

Pure: no keras, no ipywidgets; matplotlib is imported only by `plot()`.
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from paramlab.core._style import CELL_LEFT, CELL_RIGHT, PALETTE
from paramlab.core.terms import counted, fmt
from paramlab.records._progress import UNKNOWN_NOTEBOOK, VERSION, QuestionRecord, parse_records

HEAD = ("Question", "Seen", "Attempted", "Solved", "Attempts", "Slips: learners (times)")
_LABEL_CHARS = 40  # the first words of a question, in a label


class RoomWarning(UserWarning):
    """Some files in the room's folder were not progress records; they were skipped."""


@dataclass(frozen=True)
class SlipTally:
    """One slip at one question: how many learners made it, and how many times in all."""

    slip: str
    learners: int
    times: int


@dataclass(frozen=True)
class QuestionTally:
    """One question across the room. `seen`: learners who have a record of it (displayed or
    attempted); `attempted`, `solved`: learners; `attempts`: all their attempts. `slips`: the
    most learners first (ties: most times, then as first met)."""

    notebook: str
    question: str
    kind: str
    seen: int
    attempted: int
    solved: int
    attempts: int
    slips: tuple[SlipTally, ...] = ()

    @property
    def label(self) -> str:
        """ "NN · first words of the question": NN is the notebook's number (`01_dense.ipynb`)."""
        number = re.match(r"\d+", self.notebook)
        prefix = number.group() if number else Path(self.notebook).stem
        return f"{prefix} · {_first_words(self.question)}"

    def slip(self, name: str) -> SlipTally:
        for s in self.slips:
            if s.slip == name:
                return s
        raise KeyError(f"no slip {name!r} at {self.question!r}; there are {self.slips}")


@dataclass(frozen=True)
class Room:
    """The room's records: `learners` (one per file read, named after it), `questions` by
    notebook (by name, an unknown notebook last), then as first met; `skipped`: the files
    under the folder that were not progress records, relative to it."""

    learners: tuple[str, ...]
    questions: tuple[QuestionTally, ...]
    skipped: tuple[str, ...] = ()

    @property
    def notebooks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.notebook for q in self.questions))

    def question(self, text: str, notebook: str | None = None) -> QuestionTally:
        for q in self.questions:
            if q.question == text and notebook in (None, q.notebook):
                return q
        raise KeyError(f"no question {text!r} in the room's records")

    def headline(self) -> str:
        if not self.learners:
            return "paramlab room: no progress files found."
        skipped = f"; {counted(len(self.skipped), 'file')} skipped" if self.skipped else ""
        return (
            f"paramlab room: {counted(len(self.learners), 'learner')}, "
            f"{counted(len(self.questions), 'question')} in "
            f"{counted(len(self.notebooks), 'notebook')}{skipped}"
        )

    def rows(self, notebook: str) -> list[tuple[str, str, str, str, str, str]]:
        """One row per question of `notebook`, cells as shown."""
        return [
            (
                q.question,
                fmt(q.seen),
                fmt(q.attempted),
                fmt(q.solved),
                fmt(q.attempts),
                "; ".join(f"{s.slip}: {fmt(s.learners)} ({fmt(s.times)})" for s in q.slips)
                or "none",
            )
            for q in self.questions
            if q.notebook == notebook
        ]

    def __str__(self) -> str:
        out = [self.headline()]
        for nb in self.notebooks:
            out += ["", nb]
            for q, row in zip(
                (q for q in self.questions if q.notebook == nb), self.rows(nb), strict=True
            ):
                out.append(f"  {q.question}")
                out.append(
                    f"    {counted(q.seen, 'learner')} saw it, {fmt(q.attempted)} attempted it, "
                    f"{fmt(q.solved)} solved it; {counted(q.attempts, 'attempt')}"
                )
                out.append(f"    slips, learners (times): {row[-1]}")
        if self.skipped:
            out += ["", "Skipped (not version-1 progress records):"]
            out += [f"  {name}" for name in self.skipped]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        parts = ['<div class="paramlab-room">', f"<p><b>{e(self.headline())}</b></p>"]
        styles = (CELL_LEFT, CELL_RIGHT, CELL_RIGHT, CELL_RIGHT, CELL_RIGHT, CELL_LEFT)
        head = "".join(f"<th style='{s}'>{e(h)}</th>" for s, h in zip(styles, HEAD, strict=True))
        for nb in self.notebooks:
            body = "".join(
                "<tr>"
                + "".join(f"<td style='{s}'>{e(c)}</td>" for s, c in zip(styles, row, strict=True))
                + "</tr>"
                for row in self.rows(nb)
            )
            parts.append(
                f"<p style='margin:0.6em 0 0 0'><b>{e(nb)}</b></p>"
                "<table style='border-collapse:collapse'>"
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            )
        if self.skipped:
            items = "".join(f"<li>{e(name)}</li>" for name in self.skipped)
            parts.append(f"<p>Skipped (not version-1 progress records):</p><ul>{items}</ul>")
        parts.append("</div>")
        return "".join(parts)

    def plot(self):
        """Horizontal bars, a `matplotlib.figure.Figure`: per question a group headed by its
        label ("NN · first words", in bold), one bar per slip (named on the left) as long as the
        number of learners who made it, out of the room. Each bar's gid is "<i>:<slip>", `i`
        its question's index in `questions`; a slip keeps its colour across questions."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        colours: dict[str, str] = {}
        for q in self.questions:
            for s in q.slips:
                colours.setdefault(s.slip, PALETTE[len(colours) % len(PALETTE)])
        rows = sum(1 + max(len(q.slips), 1) for q in self.questions)
        fig = Figure(figsize=(7.0, max(1.2 + 0.22 * rows, 2.2)), dpi=96, layout="constrained")
        ax = fig.add_subplot()
        room = max(len(self.learners), 1)
        y, ticks, labels, headers = 0.0, [], [], set()
        for i, q in enumerate(self.questions):
            headers.add(len(ticks))
            ticks.append(y)
            labels.append(q.label)
            y += 1
            for s in q.slips:
                (bar,) = ax.barh(y, s.learners, height=0.75, color=colours[s.slip])
                bar.set_gid(f"{i}:{s.slip}")
                note = f"{fmt(s.learners)} ({counted(s.times, 'time')})"
                ax.text(s.learners + 0.01 * room, y, note, va="center", fontsize=8)
                ticks.append(y)
                labels.append(_first_words(s.slip, 36))
                y += 1
            if not q.slips:
                ticks.append(y)
                labels.append("no slips")
                y += 1
            y += 0.3  # a gap before the next question
        ax.set_yticks(ticks, labels, fontsize=8)
        for n in headers:
            ax.get_yticklabels()[n].set(fontweight="bold", fontsize=9)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(max(y - 0.3, 1) - 0.5, -0.5)  # the first question on top
        ax.set_xlim(0, room * 1.25)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelsize=9)
        ax.set_xlabel(f"learners who made the slip (of {fmt(len(self.learners))})", fontsize=9)
        ax.set_ylabel("question (notebook · first words), then its slips", fontsize=9)
        ax.set_title(f"Slips in the room: {counted(len(self.learners), 'learner')}", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        return fig


def _first_words(text: str, limit: int = _LABEL_CHARS) -> str:
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[:limit].rsplit(" ", 1)[0].rstrip(",.:;") + "…"


def _learner(relative: Path) -> str:
    """`ada.json` -> ada; `ada/progress.json`, `ada/.paramlab/progress.json` -> ada."""
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def room(folder: str | Path) -> Room:
    """The slips the room makes at each question, from every progress file under `folder`
    (each learner's `~/.paramlab/progress.json`, gathered as `<learner>.json` or
    `<learner>/progress.json`). Files that are not version-1 records are skipped with a warning."""
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise ValueError(
            "paramlab.room reads a folder of learners' progress files; this is not a folder. "
            f"Received: folder={str(folder)!r}"
        )
    files = sorted(root.rglob("*.json"), key=lambda p: p.relative_to(root).as_posix())
    learners: list[str] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], list[QuestionRecord]] = {}  # in the order first met
    for path in files:
        relative = path.relative_to(root)
        try:
            records = parse_records(path.read_bytes().decode("utf-8"))
        except (OSError, ValueError) as err:  # ValueError: also bad UTF-8 and bad JSON
            skipped.append((relative.as_posix(), f"{type(err).__name__}: {err}"))
            continue
        learners.append(_learner(relative))
        for notebook, questions in records.items():
            for question, record in questions.items():
                seen.setdefault((notebook, question), []).append(record)
    if skipped:
        names = "; ".join(f"{name} ({why})" for name, why in skipped)
        warnings.warn(
            f"paramlab.room skipped {counted(len(skipped), 'file')} under {root} that "
            f"{'is' if len(skipped) == 1 else 'are'} not version-{VERSION} progress "
            f"records: {names}",
            RoomWarning,
            stacklevel=2,
        )
    order = {key: n for n, key in enumerate(seen)}
    keys = sorted(seen, key=lambda k: (k[0] == UNKNOWN_NOTEBOOK, k[0], order[k]))
    return Room(
        learners=tuple(learners),
        questions=tuple(_tally(nb, q, seen[nb, q]) for nb, q in keys),
        skipped=tuple(name for name, _ in skipped),
    )


def _tally(notebook: str, question: str, records: list[QuestionRecord]) -> QuestionTally:
    learners: dict[str, int] = {}
    times: dict[str, int] = {}
    for r in records:
        for slip, n in r.slips.items():
            if n > 0:
                learners[slip] = learners.get(slip, 0) + 1
                times[slip] = times.get(slip, 0) + n
    slips = sorted(learners, key=lambda s: (-learners[s], -times[s]))  # stable: as first met
    return QuestionTally(
        notebook=notebook,
        question=question,
        kind=records[-1].kind,
        seen=sum(r.shown or r.attempts > 0 or r.solved for r in records),
        attempted=sum(r.attempts > 0 for r in records),
        solved=sum(r.solved for r in records),
        attempts=sum(r.attempts for r in records),
        slips=tuple(SlipTally(s, learners[s], times[s]) for s in slips),
    )
