"""`Report` and `Row`: what `explain(model)` returns, rendered as text and as HTML.

Rendering only: the counting happens in `paramlab.explain`. No keras import here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from typing import Literal

from paramlab.core._style import LINE_GREY
from paramlab.core.costs import Cost
from paramlab.core.formulas.optimizers import OptimizerVariables
from paramlab.core.terms import Term, counted, fmt

FLOAT32_BYTES = 4
FLOAT16_BYTES = 2
ADAM_SLOTS = 2  # Adam keeps two slots per trainable parameter: momentum and velocity


def readable_bytes(n: float) -> str:
    """Bytes in binary units, as Keras' summary prints them: 28800 -> '28.12 KB'."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} B" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def metric(n: int) -> str:
    """A large count in decimal units, as torchinfo prints Mult-Adds: 9488384 -> '9.49 M'."""
    for unit, size in (("T", 10**12), ("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= size:
            return f"{n / size:.2f} {unit}"
    return str(n)


def keras_size(n: float) -> str:
    """Bytes as `model.summary()` prints them, two decimals always: 132 -> '132.00 B'."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024:
            return f"{n:.2f} {unit}"
        n /= 1024
    return f"{n:.2f} PB"


@dataclass(frozen=True)
class Row:
    """One layer of the model, with its parameters term by term.

    `explained` is True when a formula produced `terms` and they match, by weight name and
    shape, the weights Keras built. Otherwise `terms` are read from the weights and `note`
    says why no formula applied. `cost` is the layer's cost for a batch, when `explain` was
    given a `batch_size`.
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
    cost: Cost | None = None


@dataclass(frozen=True)
class OptimizerRow:
    """The model's optimizer as `model.summary()` counts it: once built (after the first `fit`,
    or `optimizer.build(model.trainable_variables)`), its variables are "Optimizer params" and
    are added into "Total params".

    `total` and `bytes` are Keras' (its variables, by their dtypes), `model_bytes` the model's
    weights as the summary sizes them. `explained` is True when the formula's `variables` match
    Keras' by name and shape; otherwise `note` says why no formula applied.
    """

    class_name: str
    name: str
    built: bool
    total: int = 0
    bytes: float = 0.0
    model_bytes: float = 0.0
    explained: bool = False
    variables: OptimizerVariables | None = None
    note: str = ""

    def lines(self, model_total: int) -> list[str]:
        """The summary's extra line, explained, and its Total beside the model's count."""
        who = self.class_name  # not its name: Keras numbers unnamed optimizers (adam_2) by session
        if not self.built:
            return [
                f"Optimizer: {who} is not built yet: it creates its variables on the first "
                "fit(), and model.summary() then adds them into Total params"
            ]
        if self.explained and self.variables is not None:
            how = self.variables.lesson
        else:
            how = f"no formula: {self.note}"
        out = [f"Optimizer params: {fmt(self.total)} ({keras_size(self.bytes)}), {who}: {how}"]
        if self.explained and self.note:
            out.append(f"  note: {self.note}")
        total = model_total + self.total
        size = keras_size(self.model_bytes + self.bytes)
        out.append(
            f"Total params in model.summary(): {fmt(total)} ({size}) = "
            f"{fmt(model_total)} of the model + {fmt(self.total)} of the optimizer"
        )
        return out


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
            "(the weights plus Adam's two slots, momentum and velocity, per trainable parameter)",
        ]


@dataclass(frozen=True)
class _Line:
    """One line of the report's table: a layer, one of its terms, or its note.

    `how` is the formula or the reason; `aside=True` marks a reason shown in italics in HTML
    (no formula), and `tag` a remark after it (`[non-trainable]`). `costs` holds the cost
    columns' cells (activations, mult-adds) of a layer's line in a report with a batch size.
    """

    kind: Literal["layer", "term", "note"]
    name: str
    output_shape: str
    params: str
    how: str
    aside: bool = False
    tag: str = ""
    costs: tuple[str, str] = ("", "")

    def text_cells(self, with_costs: bool = False) -> tuple[str, ...]:
        name = f"  {self.name}" if self.kind == "term" else self.name
        how = f"{self.how}  {self.tag}" if self.tag else self.how
        extra = self.costs if with_costs else ()
        return (name, self.output_shape, self.params, *extra, how)

    def html_row(self, with_costs: bool = False) -> str:
        e = html.escape
        how = f"<i>{e(self.how)}</i>" if self.aside else e(self.how)
        if self.tag:
            how += f" <i>{e(self.tag)}</i>"
        right = "<td style='text-align:right'>"
        extra = "".join(f"{right}{e(c)}</td>" for c in self.costs) if with_costs else ""
        if self.kind == "layer":
            return (
                f"<tr style='border-top:1px solid {LINE_GREY}'>"
                f"<td>{e(self.name)}</td><td>{e(self.output_shape)}</td>"
                f"<td style='text-align:right'>{self.params}</td>{extra}<td>{how}</td></tr>"
            )
        if self.kind == "term":
            return (
                f"<tr><td style='padding-left:2em'>{e(self.name)}</td><td></td>"
                f"<td></td>{extra}<td>{how}</td></tr>"
            )
        return f"<tr><td></td><td></td><td></td>{extra}<td>{how}</td></tr>"


DASH = "—"  # a cost the convention does not give, or shapes Keras did not record


def _cost_cells(cost: Cost | None) -> tuple[str, str]:
    """A layer line's activations cell ('41,984 (164.00 KB)') and mult-adds cell."""
    if cost is None:
        return ("", "")
    values = DASH
    if cost.activations is not None and cost.activation_bytes is not None:
        values = f"{fmt(cost.activations)} ({readable_bytes(cost.activation_bytes)})"
    return (values, DASH if cost.macs is None else fmt(cost.macs))


def _cost_notes(cost: Cost) -> list[str]:
    """The lines under a layer that say how its mult-adds come about, or why there are none."""
    out = [f"mult-adds: {cost.how}" if cost.macs is not None else f"mult-adds: {DASH} ({cost.how})"]
    if cost.activations is None and cost.activations_note and cost.activations_note not in cost.how:
        out.append(f"activations: {cost.activations_note}")
    return out


@dataclass(frozen=True)
class Report:
    """Every layer's parameters, explained; totals exactly as Keras counts them.

    `total` is the model's count (`model.count_params()`); `optimizer` is its optimizer, if
    compiled, and `summary_total` what `model.summary()` prints as "Total params": the model's
    count plus `optimizer_params` once the optimizer is built.
    """

    name: str
    rows: tuple[Row, ...]
    total: int
    trainable: int
    non_trainable: int
    optimizer: OptimizerRow | None = None
    batch_size: int | None = None

    @property
    def activations(self) -> int | None:
        """Every row's output activations for a batch of `batch_size` (None without one); rows
        whose shapes Keras did not record are left out (`Row.cost.activations` is None)."""
        return self._cost_total("activations")

    @property
    def activation_bytes(self) -> int | None:
        """The bytes of `activations`, each row's at its output dtype."""
        return self._cost_total("activation_bytes")

    @property
    def macs(self) -> int | None:
        """Every row's multiply-adds for a batch (None without a batch size); a row without a
        figure ("—", `Row.cost.macs` is None) adds nothing."""
        return self._cost_total("macs")

    def _cost_total(self, field: str) -> int | None:
        if self.batch_size is None:
            return None
        figures = (getattr(r.cost, field) for r in self.rows if r.cost is not None)
        return sum(f for f in figures if f is not None)

    @property
    def optimizer_params(self) -> int:
        """The summary's "Optimizer params": 0 until the optimizer is built."""
        return 0 if self.optimizer is None else self.optimizer.total

    @property
    def summary_total(self) -> int:
        return self.total + self.optimizer_params

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
            *([] if self.optimizer is None else self.optimizer.lines(self.total)),
            *self.memory.lines(),
            *self._cost_lines(),
        ]

    def _cost_lines(self) -> list[str]:
        if self.batch_size is None:
            return []
        n, costs = self.batch_size, [r.cost for r in self.rows if r.cost is not None]
        unknown = sum(c.activations is None for c in costs)
        uncounted = sum(c.macs is None for c in costs)
        values, size, macs = self.activations or 0, self.activation_bytes or 0, self.macs or 0
        skipped = f"; {counted(unknown, 'row')} unknown ({DASH})" if unknown else ""
        short = f" ({metric(macs)})" if macs >= 1000 else ""
        left = (
            f"; {counted(uncounted, 'row')} not counted ({DASH}), each says why"
            if uncounted
            else ""
        )
        return [
            f"Activations for a batch of {n}: {fmt(values)} values, {readable_bytes(size)} "
            f"(every layer's outputs at their dtypes{skipped})",
            f"Mult-adds for a batch of {n}: {fmt(macs)}{short}{left}",
        ]

    def _table(self) -> list[_Line]:
        """The rows as table lines: each layer, its terms, and its note; rendered by `__str__`
        and `_repr_html_` alike."""
        lines: list[_Line] = []
        for r in self.rows:
            name, costs = f"{r.name} ({r.class_name})", _cost_cells(r.cost)
            if r.explained:
                lines.append(_Line("layer", name, r.output_shape, fmt(r.total), r.formula))
            else:
                how = f"no formula: {r.note}"
                lines.append(_Line("layer", name, r.output_shape, fmt(r.total), how, aside=True))
            lines[-1] = replace(lines[-1], costs=costs)
            for t in r.terms:
                tag = "" if t.trainable else "[non-trainable]"
                lines.append(_Line("term", f"{t.path} {t.shape}", "", "", t.formula, tag=tag))
            if r.explained and r.note:
                lines.append(_Line("note", "", "", "", f"note: {r.note}"))
            if r.cost is not None:
                lines += [_Line("note", "", "", "", how) for how in _cost_notes(r.cost)]
        return lines

    def _head(self) -> tuple[str, ...]:
        costs = () if self.batch_size is None else (f"Activations ({self.batch_size})", "Mult-Adds")
        return ("Layer (type)", "Output shape", "Param #", *costs, "How")

    def __str__(self) -> str:
        with_costs = self.batch_size is not None
        head = self._head()
        table = [line.text_cells(with_costs) for line in self._table()]
        n = len(head) - 1  # every column but the last (How) is padded
        widths = [max(len(head[i]), *(len(cells[i]) for cells in table)) for i in range(n)]
        aligns = ["<", "<", *([">"] * (n - 2))]

        def line(cells: tuple[str, ...]) -> str:
            padded = [f"{c:{a}{w}}" for c, a, w in zip(cells, aligns, widths, strict=False)]
            return "  ".join([*padded, cells[-1]]).rstrip()

        rule = "-" * min(120, sum(widths) + 2 * n + 40)
        out = [f'Model: "{self.name}"  (paramlab.explain)', rule, line(head), rule]
        out += [line(cells) for cells in table]
        out += [rule, *self.totals_lines()]
        return "\n".join(out)

    def _repr_html_(self) -> str:
        e = html.escape
        with_costs = self.batch_size is not None
        costs = "".join(f"<th style='text-align:right'>{e(h)}</th>" for h in self._head()[3:-1])
        parts = [
            '<div class="paramlab-report">',
            f"<p><b>Model: {e(self.name)}</b> (paramlab.explain)</p>",
            '<table style="border-collapse:collapse;font-family:monospace">',
            "<thead><tr><th style='text-align:left'>Layer (type)</th>"
            "<th style='text-align:left'>Output shape</th><th style='text-align:right'>Param #</th>"
            f"{costs}<th style='text-align:left'>How</th></tr></thead><tbody>",
        ]
        parts += [line.html_row(with_costs) for line in self._table()]
        parts.append("</tbody></table>")
        parts.append("<p>" + "<br>".join(e(x) for x in self.totals_lines()) + "</p></div>")
        return "".join(parts)
