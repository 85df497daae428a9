"""`Report` and `Row`: what `explain(model)` returns, rendered as text and as HTML.

Rendering only: the counting happens in `paramlab.explain`. No keras import here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

from paramlab.core._style import LINE_GREY
from paramlab.core.terms import Term, fmt

FLOAT32_BYTES = 4
FLOAT16_BYTES = 2
ADAM_SLOTS = 2  # Adam keeps a first- and a second-moment estimate per trainable parameter


def readable_bytes(n: float) -> str:
    """Bytes in binary units, as Keras' summary prints them: 28800 -> '28.12 KB'."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} B" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Row:
    """One layer of the model, with its parameters term by term.

    `explained` is True when a formula produced `terms` and they match, by weight name and
    shape, the weights Keras built. Otherwise `terms` are read from the weights and `note`
    says why no formula applied.
    """

    name: str
    class_name: str
    total: int
    trainable: int
    non_trainable: int
    terms: tuple[Term, ...]
    explained: bool
    note: str = ""
    output_shape: str = ""
    formula: str = ""


@dataclass(frozen=True)
class Memory:
    """What the parameters take in memory: as float32, as float16, and training with Adam."""

    float32: int
    float16: int
    adam_float32: int

    @classmethod
    def of(cls, total: int, trainable: int) -> Memory:
        return cls(
            float32=total * FLOAT32_BYTES,
            float16=total * FLOAT16_BYTES,
            adam_float32=(total + ADAM_SLOTS * trainable) * FLOAT32_BYTES,
        )

    def lines(self) -> list[str]:
        return [
            f"Memory: {readable_bytes(self.float32)} as float32, "
            f"{readable_bytes(self.float16)} as float16",
            f"Training with Adam (float32): {readable_bytes(self.adam_float32)} "
            "(the weights plus two moment estimates per trainable parameter)",
        ]


@dataclass(frozen=True)
class _Line:
    """One line of the report's table: a layer, one of its terms, or its note.

    `how` is the formula or the reason; `aside=True` marks a reason shown in italics in HTML
    (no formula), and `tag` a remark after it (`[non-trainable]`).
    """

    kind: Literal["layer", "term", "note"]
    name: str
    output_shape: str
    params: str
    how: str
    aside: bool = False
    tag: str = ""

    def text_cells(self) -> tuple[str, str, str, str]:
        name = f"  {self.name}" if self.kind == "term" else self.name
        how = f"{self.how}  {self.tag}" if self.tag else self.how
        return (name, self.output_shape, self.params, how)

    def html_row(self) -> str:
        e = html.escape
        how = f"<i>{e(self.how)}</i>" if self.aside else e(self.how)
        if self.tag:
            how += f" <i>{e(self.tag)}</i>"
        if self.kind == "layer":
            return (
                f"<tr style='border-top:1px solid {LINE_GREY}'>"
                f"<td>{e(self.name)}</td><td>{e(self.output_shape)}</td>"
                f"<td style='text-align:right'>{self.params}</td><td>{how}</td></tr>"
            )
        if self.kind == "term":
            return (
                f"<tr><td style='padding-left:2em'>{e(self.name)}</td><td></td>"
                f"<td></td><td>{how}</td></tr>"
            )
        return f"<tr><td></td><td></td><td></td><td>{how}</td></tr>"


@dataclass(frozen=True)
class Report:
    """Every layer's parameters, explained; totals exactly as Keras counts them."""

    name: str
    rows: tuple[Row, ...]
    total: int
    trainable: int
    non_trainable: int

    @property
    def memory(self) -> Memory:
        return Memory.of(self.total, self.trainable)

    @property
    def unexplained(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.explained)

    def row(self, name: str) -> Row:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no row named {name!r}; rows are {[r.name for r in self.rows]}")

    def totals_lines(self) -> list[str]:
        return [
            f"Total params: {fmt(self.total)}",
            f"Trainable params: {fmt(self.trainable)}",
            f"Non-trainable params: {fmt(self.non_trainable)}",
            *self.memory.lines(),
        ]

    def _table(self) -> list[_Line]:
        """The rows as table lines: each layer, its terms, and its note; rendered by `__str__`
        and `_repr_html_` alike."""
        lines: list[_Line] = []
        for r in self.rows:
            name = f"{r.name} ({r.class_name})"
            if r.explained:
                lines.append(_Line("layer", name, r.output_shape, fmt(r.total), r.formula))
            else:
                how = f"no formula: {r.note}"
                lines.append(_Line("layer", name, r.output_shape, fmt(r.total), how, aside=True))
            for t in r.terms:
                tag = "" if t.trainable else "[non-trainable]"
                lines.append(_Line("term", f"{t.path} {t.shape}", "", "", t.formula, tag=tag))
            if r.explained and r.note:
                lines.append(_Line("note", "", "", "", f"note: {r.note}"))
        return lines

    def __str__(self) -> str:
        head = ("Layer (type)", "Output shape", "Param #", "How")
        table = [line.text_cells() for line in self._table()]
        widths = [max(len(head[i]), *(len(cells[i]) for cells in table)) for i in range(3)]

        def line(cells: tuple[str, str, str, str]) -> str:
            a, b, c, d = cells
            return f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}  {d}".rstrip()

        rule = "-" * min(120, sum(widths) + 6 + 40)
        out = [f'Model: "{self.name}"  (paramlab.explain)', rule, line(head), rule]
        out += [line(cells) for cells in table]
        out += [rule, *self.totals_lines()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [
            '<div class="paramlab-report">',
            f"<p><b>Model: {e(self.name)}</b> (paramlab.explain)</p>",
            '<table style="border-collapse:collapse;font-family:monospace">',
            "<thead><tr><th style='text-align:left'>Layer (type)</th>"
            "<th style='text-align:left'>Output shape</th><th style='text-align:right'>Param #</th>"
            "<th style='text-align:left'>How</th></tr></thead><tbody>",
        ]
        parts += [line.html_row() for line in self._table()]
        parts.append("</tbody></table>")
        parts.append("<p>" + "<br>".join(e(x) for x in self.totals_lines()) + "</p></div>")
        return "".join(parts)
