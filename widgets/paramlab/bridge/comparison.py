"""`Comparison`, `RowChange` and `TermChange`: what `compare(a, b)` returns, as text and HTML.

Rendering only: the matching happens in `paramlab.bridge._compare`, the counting in `explain`
(every row here is one of its `Row`s, or for PyTorch one built from `paramlab.pytorch`). No keras
import here. Every delta is b - a.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from paramlab.bridge.report import Report, Row
from paramlab.core._style import CELL_LEFT, CELL_RIGHT, LINE_GREY
from paramlab.core.terms import Term, fmt

# What explain writes on a term whose weight an earlier layer holds and counts.
SHARED_NOTE = "shared with an earlier layer and counted there"


def counted(row: Row) -> list[int]:
    """What each of `row.terms` adds to `row.total`: its size, or 0 for a weight an earlier
    layer holds and counts (explain notes it on the term)."""
    sizes = [t.count for t in row.terms]
    if sum(sizes) == row.total:
        return sizes
    return [0 if t.note == SHARED_NOTE else t.count for t in row.terms]


class Status(StrEnum):
    """What happened to a row between a and b. Against PyTorch, CHANGED means a different
    count; a row whose tensors are only renamed or transposed is UNCHANGED (its terms say how)."""

    UNCHANGED = "unchanged"
    CHANGED = "changed"
    ONLY_A = "only in a"  # removed in b
    ONLY_B = "only in b"  # added in b
    NO_COUNTERPART = "no counterpart"  # PyTorch: paramlab.pytorch has no module for the layer


class MatchedBy(StrEnum):
    """How a row of a found its row of b."""

    NAME = "name"  # the same path (`block/dense`) in both
    POSITION = "position"  # aligned in order, by class, among the rows no name matched
    PORT = "port"  # the torch module a port of the Keras layer uses
    NONE = "none"  # only in one of them


def signed(n: int) -> str:
    """A delta with its sign: 18432 -> '+18,432', 0 -> '+0', -64 -> '-64'."""
    return f"{n:+,}"


def _side(t: Term | None) -> str:
    return "(none)" if t is None else f"{t.path} {t.shape}"


@dataclass(frozen=True)
class TermChange:
    """One weight that differs between a row of a and its row of b.

    `a_count` and `b_count` are what the term adds to its row's count (0 when absent, when the
    weight is shared with an earlier layer and counted there, or for a torch buffer); `why`
    says what changed in the lesson's terms (`channels 32 -> 64`), `how` adds the formula.
    """

    layer: str
    a: Term | None
    b: Term | None
    a_count: int
    b_count: int
    why: str
    how: str = ""

    @property
    def path(self) -> str:
        return (self.a or self.b).path  # type: ignore[union-attr]  # never both None

    @property
    def delta(self) -> int:
        return self.b_count - self.a_count

    @property
    def trainable_delta(self) -> int:
        return _trainable(self.b, self.b_count) - _trainable(self.a, self.a_count)

    @property
    def non_trainable_delta(self) -> int:
        return self.delta - self.trainable_delta

    @property
    def label(self) -> str:
        """`kernel (3, 3, 32, 64) -> (3, 3, 64, 64)`, or with both names when they differ."""
        if self.a is not None and self.b is not None and self.a.path == self.b.path:
            return f"{self.a.path} {self.a.shape} -> {self.b.shape}"
        return f"{_side(self.a)} -> {_side(self.b)}"

    def __str__(self) -> str:
        return f"{self.layer} {self.label}: {self.why}, {signed(self.delta)}"


def _trainable(t: Term | None, count: int) -> int:
    return count if t is not None and t.trainable else 0


@dataclass(frozen=True)
class RowChange:
    """One layer of a beside its match in b (either may be None), and its changed terms.

    The counts are the rows' own (explain's, so shared weights count once); `why` is what the
    row line says besides its status (a class change, the PyTorch difference), `note` a remark.
    """

    a: Row | None
    b: Row | None
    status: Status
    matched_by: MatchedBy
    terms: tuple[TermChange, ...] = ()
    why: str = ""
    note: str = ""

    @property
    def name(self) -> str:
        return (self.a or self.b).name  # type: ignore[union-attr]  # never both None

    @property
    def class_changed(self) -> bool:
        return self.a is not None and self.b is not None and self.a.class_name != self.b.class_name

    @property
    def delta(self) -> int:
        return _get(self.b, "total") - _get(self.a, "total")

    @property
    def trainable_delta(self) -> int:
        return _get(self.b, "trainable") - _get(self.a, "trainable")

    @property
    def non_trainable_delta(self) -> int:
        return _get(self.b, "non_trainable") - _get(self.a, "non_trainable")

    @property
    def label(self) -> str:
        """`conv2d (Conv2D)`, `lstm (LSTM -> GRU)`, `dense_3 -> dense_7 (Dense)`."""
        a, b = self.a, self.b
        if a is None or b is None:
            row = a or b
            return f"{row.name} ({row.class_name})"  # type: ignore[union-attr]
        name = a.name if a.name == b.name else f"{a.name} -> {b.name}"
        cls = a.class_name if a.class_name == b.class_name else f"{a.class_name} -> {b.class_name}"
        return f"{name} ({cls})"

    def params(self) -> str:
        """`18,496 -> 36,928`; `(absent)` for a side without the row."""
        a = "(absent)" if self.a is None else fmt(self.a.total)
        b = "(absent)" if self.b is None else fmt(self.b.total)
        return f"{a} -> {b}"

    def headline(self) -> str:
        """The row line's explanation: how it was matched, what happened, and why."""
        if self.status is Status.ONLY_A:
            head = "only in a: removed"
        elif self.status is Status.ONLY_B:
            head = "only in b: added"
        elif self.matched_by is MatchedBy.PORT or self.status is Status.NO_COUNTERPART:
            head = ""
        else:
            head = f"matched by {self.matched_by}: {self.status}"
        return "; ".join(x for x in (head, self.why) if x)


def _get(row: Row | None, field: Literal["total", "trainable", "non_trainable"]) -> int:
    return 0 if row is None else int(getattr(row, field))


_PORT_WORDS = {
    Status.UNCHANGED: "with the same count",
    Status.CHANGED: "with a different count",
    Status.NO_COUNTERPART: "without a port in paramlab.pytorch",
}


@dataclass(frozen=True)
class Totals:
    """A model's totals: `count_params()` and the sums over (non-)trainable weights."""

    total: int
    trainable: int
    non_trainable: int


def totals(report: Report) -> Totals:
    return Totals(report.total, report.trainable, report.non_trainable)


@dataclass(frozen=True)
class _Line:
    kind: Literal["layer", "term", "note"]
    name: str
    params: str
    change: str
    how: str

    def html_row(self) -> str:
        e = html.escape
        if self.kind == "layer":
            return (
                f"<tr style='border-top:1px solid {LINE_GREY}'><td style='{CELL_LEFT}'>"
                f"{e(self.name)}</td><td style='{CELL_RIGHT}'>{e(self.params)}</td>"
                f"<td style='{CELL_RIGHT}'>{e(self.change)}</td>"
                f"<td style='{CELL_LEFT}'>{e(self.how)}</td></tr>"
            )
        pad = "padding-left:2em;" if self.kind == "term" else ""
        how = e(self.how) if self.kind == "term" else f"<i>{e(self.how)}</i>"
        return (
            f"<tr><td style='{CELL_LEFT};{pad}'>{e(self.name)}</td><td></td>"
            f"<td style='{CELL_RIGHT}'>{e(self.change)}</td>"
            f"<td style='{CELL_LEFT}'>{how}</td></tr>"
        )


@dataclass(frozen=True)
class Comparison:
    """Two models (or layers) side by side, row by row, term by term: b - a.

    `rows` follow a's order, with b's added rows where the alignment puts them. The totals are
    Keras' own (`count_params()` and the (non-)trainable sums) for a Keras side, and PyTorch's
    `parameters()` count for a port (`framework="pytorch"`, where `a` is the Keras model); the
    rows' deltas add up to the totals' (checked when the comparison is made).
    """

    a_name: str
    b_name: str
    rows: tuple[RowChange, ...]
    a: Totals
    b: Totals
    framework: str = "keras"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for kind in ("delta", "trainable_delta", "non_trainable_delta"):
            rows = sum(getattr(r, kind) for r in self.rows)
            if rows != getattr(self, kind):
                raise AssertionError(f"the rows' {kind} {rows:,} is not the totals' {kind}")

    @property
    def delta(self) -> int:
        return self.b.total - self.a.total

    @property
    def trainable_delta(self) -> int:
        return self.b.trainable - self.a.trainable

    @property
    def non_trainable_delta(self) -> int:
        return self.b.non_trainable - self.a.non_trainable

    @property
    def changed(self) -> tuple[RowChange, ...]:
        """Every row that is not unchanged: changed, added, removed, or without a port."""
        return tuple(r for r in self.rows if r.status is not Status.UNCHANGED)

    @property
    def term_changes(self) -> tuple[TermChange, ...]:
        return tuple(t for r in self.rows for t in r.terms)

    def row(self, name: str) -> RowChange:
        """The row named `name` in a or in b."""
        for r in self.rows:
            if name in {x.name for x in (r.a, r.b) if x is not None}:
                return r
        raise KeyError(f"no row named {name!r}; rows are {[r.name for r in self.rows]}")

    def count(self, status: Status) -> int:
        return sum(r.status is status for r in self.rows)

    @property
    def title(self) -> str:
        if self.framework == "pytorch":
            return f'Compare: Keras "{self.a_name}" -> its PyTorch port'
        return f'Compare: "{self.a_name}" (a) -> "{self.b_name}" (b)'

    @property
    def source(self) -> str:
        if self.framework == "pytorch":
            return '(paramlab.compare, framework="pytorch": torch counts by paramlab.pytorch)'
        return "(paramlab.compare: rows matched by name, then by position)"

    def totals_lines(self) -> list[str]:
        def line(what: str, a: int, b: int) -> str:
            return f"{what}: {fmt(a)} -> {fmt(b)} ({signed(b - a)})"

        if self.framework == "pytorch":
            out = [
                line("Total params (Keras -> torch parameters())", self.a.total, self.b.total),
                line("Trainable params", self.a.trainable, self.b.trainable),
                line("Non-trainable params", self.a.non_trainable, self.b.non_trainable),
            ]
        else:
            out = [
                line("Total params", self.a.total, self.b.total),
                line("Trainable params", self.a.trainable, self.b.trainable),
                line("Non-trainable params", self.a.non_trainable, self.b.non_trainable),
            ]
        words = _PORT_WORDS if self.framework == "pytorch" else {s: str(s) for s in Status}
        counts = ", ".join(f"{self.count(s)} {words[s]}" for s in Status if self.count(s))
        out.append(f"Rows: {counts}")
        return [*out, *self.notes]

    def _table(self) -> list[_Line]:
        lines = []
        for r in self.rows:
            lines.append(_Line("layer", r.label, r.params(), signed(r.delta), r.headline()))
            for t in r.terms:
                lines.append(_Line("term", t.label, "", signed(t.delta), t.how or t.why))
            if r.note:
                lines.append(_Line("note", "", "", "", f"note: {r.note}"))
        return lines

    def __str__(self) -> str:
        head = ("Layer (type)", "Param # a -> b", "Change", "How")
        if self.framework == "pytorch":
            head = ("Layer (Keras -> torch)", "Keras -> torch", "Change", "How")
        table = [
            (x.name if x.kind != "term" else f"  {x.name}", x.params, x.change, x.how)
            for x in self._table()
        ]
        widths = [max(len(head[i]), *(len(cells[i]) for cells in table)) for i in range(3)]

        def line(cells: tuple[str, str, str, str]) -> str:
            a, b, c, d = cells
            return f"{a:<{widths[0]}}  {b:>{widths[1]}}  {c:>{widths[2]}}  {d}".rstrip()

        rule = "-" * min(120, sum(widths) + 6 + 40)
        out = [f"{self.title}  {self.source}", rule, line(head), rule]
        out += [line(cells) for cells in table]
        out += [rule, *self.totals_lines()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        head = ("Layer (type)", "Param # a -> b", "Change", "How")
        if self.framework == "pytorch":
            head = ("Layer (Keras -> torch)", "Keras -> torch", "Change", "How")
        cells = "".join(
            f"<th style='{CELL_RIGHT if i in (1, 2) else CELL_LEFT}'>{e(h)}</th>"
            for i, h in enumerate(head)
        )
        parts = [
            '<div class="paramlab-comparison">',
            f"<p><b>{e(self.title)}</b> {e(self.source)}</p>",
            '<table style="border-collapse:collapse;font-family:monospace">',
            f"<thead><tr>{cells}</tr></thead><tbody>",
            *(line.html_row() for line in self._table()),
            "</tbody></table>",
            "<p>" + "<br>".join(e(x) for x in self.totals_lines()) + "</p></div>",
        ]
        return "".join(parts)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {"text/plain": str(self), "text/html": self._repr_html_()}
