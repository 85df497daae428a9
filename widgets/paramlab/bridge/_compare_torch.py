"""`compare(model, framework="pytorch")`: a Keras model beside its PyTorch port, row by row.

Each of explain's rows is ported to the torch module a porter writes for that layer, one module
per Keras layer (two stacked Keras LSTMs are two `nn.LSTM`s here, not `num_layers=2`), and counted
by `paramlab.pytorch` (arithmetic, no torch import): Dense -> `nn.Linear`, Conv2D -> `nn.Conv2d`,
SimpleRNN / LSTM / GRU -> `nn.RNN` / `nn.LSTM` / `nn.GRU` (Bidirectional -> `bidirectional=True`),
BatchNormalization -> `nn.BatchNorm1d/2d/3d`. The row's reason is `paramlab.pytorch`'s own
(`lstm_vs_keras(...).why`, ...), and each Keras weight is linked to the torch tensor holding the
same numbers (`kernel` -> `weight_ih_l0`, `moving_mean` -> the buffer `running_mean`). A layer
with weights and no such module is said so, and left out of the torch totals. A frozen Keras
layer is ported frozen (`requires_grad=False`), so the trainable counts compare like for like.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import keras

from paramlab.bridge.comparison import (
    Comparison,
    MatchedBy,
    RowChange,
    Status,
    TermChange,
    Totals,
    counted,
    totals,
)
from paramlab.bridge.report import Report, Row
from paramlab.core import pytorch as P
from paramlab.core.terms import Term, fmt

Link = tuple[str | None, str | None, str]
"""A Keras weight's path, the torch tensor holding the same numbers, and what differs."""

TRANSPOSED = "same numbers, transposed"
BUFFER = "a buffer in torch: in state_dict(), not in parameters()"


@dataclass(frozen=True)
class _Port:
    counts: P.TorchCounts
    links: tuple[Link, ...]
    why: str


def versus_pytorch(model: Any, report: Report) -> Comparison:
    """The comparison of `model` (explained in `report`) with its PyTorch port."""
    layers = layers_by_path(model)
    done = [_row(row, layers.get(row.name)) for row in report.rows]
    rows = tuple(r for r, _ in done)
    ported = [r.b for r in rows if r.b is not None]
    torch_totals = Totals(
        sum(r.total for r in ported),
        sum(r.trainable for r in ported),
        sum(r.non_trainable for r in ported),
    )
    return Comparison(
        a_name=report.name,
        b_name="PyTorch",
        rows=rows,
        a=totals(report),
        b=torch_totals,
        framework="pytorch",
        notes=_notes(rows, [t for _, buffers in done for t in buffers]),
    )


def layers_by_path(model: Any) -> dict[str, Any]:
    """Every layer under `model` by the name explain gives its row (`block/dense`)."""
    out = {model.name: model}

    def walk(layer: Any, prefix: str) -> None:
        for child in layer._flatten_layers(include_self=False, recursive=False):
            out.setdefault(f"{prefix}{child.name}", child)
            walk(child, f"{prefix}{child.name}/")

    walk(model, "")
    return out


def _notes(rows: tuple[RowChange, ...], buffers: list[Term]) -> tuple[str, ...]:
    notes = []
    if buffers:
        names = ", ".join(dict.fromkeys(t.name for t in buffers))
        numbers = sum(t.count for t in buffers)
        notes.append(
            f"Buffers in torch, not parameters: {fmt(numbers)} numbers in state_dict() ({names})"
        )
    missing = [r.a for r in rows if r.status is Status.NO_COUNTERPART and r.a is not None]
    if missing:
        which = ", ".join(f"{r.name} ({r.class_name}, {fmt(r.total)})" for r in missing)
        left_out = sum(r.total for r in missing)
        notes.append(
            f"No port counted for: {which}; the torch totals leave out their "
            f"{fmt(left_out)} parameters"
        )
    return tuple(notes)


def _row(row: Row, layer: Any) -> tuple[RowChange, tuple[Term, ...]]:
    """The row beside its port, and the port's buffers."""
    if row.total == 0 and not row.terms:
        why = "no parameters in either"
        return RowChange(row, row, Status.UNCHANGED, MatchedBy.PORT, why=why), ()
    port = _port(layer, row) if layer is not None else "its layer was not found in the model"
    if isinstance(port, str):
        return RowChange(row, None, Status.NO_COUNTERPART, MatchedBy.NONE, why=port), ()
    frozen = row.trainable == 0
    params = port.counts.parameters.terms
    if frozen:
        params = tuple(replace(t, trainable=False) for t in params)
    n = port.counts.parameter_count
    torch_row = Row(
        name=row.name,
        class_name=port.counts.module,
        total=n,
        trainable=0 if frozen else n,
        non_trainable=n if frozen else 0,
        terms=params + port.counts.buffers.terms,
        explained=True,
        note=port.why,
        formula=port.counts.parameters.formula,
    )
    buffers = set(port.counts.buffers.term_names)
    keras_terms = {t.path: (t, n) for t, n in zip(row.terms, counted(row), strict=True)}
    torch_terms = {t.path: (t, 0 if t.path in buffers else t.count) for t in torch_row.terms}
    label = f"{row.class_name} -> {torch_row.class_name}"
    found = [_link(label, keras_terms.get(k), torch_terms.get(t), why) for k, t, why in port.links]
    changes = tuple(c for c in found if c is not None)
    differ = (row.total, row.trainable) != (torch_row.total, torch_row.trainable)
    note = ""
    if frozen:
        note = "frozen in Keras (trainable=False): ported with requires_grad=False"
    status = Status.CHANGED if differ else Status.UNCHANGED
    change = RowChange(row, torch_row, status, MatchedBy.PORT, changes, why=port.why, note=note)
    return change, port.counts.buffers.terms


def _link(
    layer: str, x: tuple[Term, int] | None, y: tuple[Term, int] | None, why: str
) -> TermChange | None:
    (tx, nx), (ty, ny) = x or (None, 0), y or (None, 0)
    if tx is not None and ty is not None and _same(tx, nx) == _same(ty, ny):
        return None  # the same tensor under the same name: nothing to port
    how = f"{why}: {ty.formula}" if ty is not None else why
    return TermChange(layer, tx, ty, nx, ny, why, how)


def _same(t: Term, n: int) -> tuple[str, tuple[int, ...], bool, int]:
    return (t.path, t.shape, t.trainable, n)


def _port(layer: Any, row: Row) -> _Port | str:
    """The torch module a port uses for `layer`, or why there is none to count."""
    if not row.explained:
        return f"no formula explains {row.class_name} here, so no port is counted"
    if sum(counted(row)) != row.total or any(n == 0 for n in counted(row)):
        return "it holds a weight shared with an earlier layer: tie it by hand in torch"
    L = keras.layers
    port: _Port | str
    if isinstance(layer, L.Bidirectional):
        port = _bidirectional(layer, row)
    elif isinstance(layer, (L.LSTM, L.GRU, L.SimpleRNN)):
        port = _recurrent(layer, row, two_way=False)
    elif isinstance(layer, L.Dense):
        port = _dense(row)
    elif isinstance(layer, L.Conv2D):
        port = _conv2d(layer, row)
    elif isinstance(layer, L.BatchNormalization):
        port = _batch_norm(layer, row)
    else:
        port = f"paramlab.pytorch has no module for {type(layer).__name__}"
    if isinstance(port, str):
        return port
    keras_paths = {k for k, _, _ in port.links if k is not None}
    torch_paths = {t for _, t, _ in port.links if t is not None}
    if keras_paths != {t.path for t in row.terms} or torch_paths != set(
        port.counts.parameters.term_names + port.counts.buffers.term_names
    ):
        return f"its weights ({', '.join(t.path for t in row.terms)}) are not the ones a port maps"
    return port


def _term(row: Row, path: str) -> Term | None:
    return next((t for t in row.terms if t.path == path), None)


def _dense(row: Row) -> _Port | str:
    kernel = _term(row, "kernel")
    if kernel is None or len(kernel.shape) != 2:
        return "its weights are not a Dense kernel of rank 2"
    bias = _term(row, "bias") is not None
    n_in, units = kernel.shape
    links: list[Link] = [("kernel", "weight", f"{TRANSPOSED}: torch stores (out, in)")]
    links += [("bias", "bias", "")] if bias else []
    why = f"same count: nn.Linear({n_in}, {units}{'' if bias else ', bias=False'})"
    return _Port(P.counts(P.linear(n_in, units, bias=bias)), tuple(links), why)


def _conv2d(layer: Any, row: Row) -> _Port | str:
    kernel = _term(row, "kernel")
    if kernel is None or len(kernel.shape) != 4:
        return "its weights are not a Conv2D kernel of rank 4"
    kh, kw, per_group, filters = kernel.shape
    groups = int(layer.groups)
    bias = _term(row, "bias") is not None
    inputs = "in / groups" if groups > 1 else "in"
    layout = (
        f"same numbers, axes moved: Keras (kh, kw, {inputs}, out), torch (out, {inputs}, kh, kw)"
    )
    links: list[Link] = [("kernel", "weight", layout)]
    links += [("bias", "bias", "")] if bias else []
    counts = P.counts(P.conv2d(per_group * groups, filters, (kh, kw), groups=groups, bias=bias))
    return _Port(counts, tuple(links), "same count; the kernel's axes are in another order")


_VERSUS = {
    keras.layers.LSTM: P.lstm_vs_keras,
    keras.layers.GRU: P.gru_vs_keras,
    keras.layers.SimpleRNN: P.simple_rnn_vs_keras,
}
_MODULES = {keras.layers.LSTM: P.lstm, keras.layers.GRU: P.gru, keras.layers.SimpleRNN: P.rnn}


def _bidirectional(layer: Any, row: Row) -> _Port | str:
    forward, backward = layer.forward_layer, layer.backward_layer
    if type(forward) is not type(backward) or forward.units != backward.units:
        return "its two directions differ; nn.LSTM(bidirectional=True) keeps them alike"
    if type(forward) not in _MODULES:
        return f"paramlab.pytorch has no module for Bidirectional({type(forward).__name__})"
    return _recurrent(forward, row, two_way=True)


def _recurrent(layer: Any, row: Row, *, two_way: bool) -> _Port | str:
    kind = type(layer)
    if kind not in _MODULES:  # a subclass: its weights may differ
        return f"paramlab.pytorch has no module for {kind.__name__}"
    scopes = (("forward/", ""), ("backward/", "_reverse")) if two_way else (("", ""),)
    kernel = _term(row, f"{scopes[0][0]}kernel")
    if kernel is None or len(kernel.shape) != 2:
        return f"its weights are not a {kind.__name__} kernel of rank 2"
    units, use_bias, input_dim = int(layer.units), bool(layer.use_bias), kernel.shape[0]
    split = kind is keras.layers.GRU and bool(layer.reset_after)
    links: list[Link] = []
    for scope, tail in scopes:
        links.append((f"{scope}kernel", f"weight_ih_l0{tail}", TRANSPOSED))
        links.append((f"{scope}recurrent_kernel", f"weight_hh_l0{tail}", TRANSPOSED))
        if use_bias and split:
            links.append((f"{scope}bias", f"bias_ih_l0{tail}", "Keras' bias (2, 3 * units), row 0"))
            links.append((None, f"bias_hh_l0{tail}", "Keras' bias (2, 3 * units), row 1"))
        elif use_bias:
            links.append((f"{scope}bias", f"bias_ih_l0{tail}", "renamed: torch's first bias"))
            links.append((None, f"bias_hh_l0{tail}", P.SECOND_BIAS))
    module = _MODULES[kind](units, input_dim, bias=use_bias, bidirectional=two_way)
    if not use_bias:
        why = "same count: no bias in either"
    else:
        versus = _VERSUS[kind]
        extra = {"reset_after": split} if kind is keras.layers.GRU else {}
        why = versus(units, input_dim, **extra).why + (", in each direction" if two_way else "")
    return _Port(P.counts(module), tuple(links), why)


def _batch_norm(layer: Any, row: Row) -> _Port | str:
    mean = _term(row, "moving_mean")
    if mean is None or len(mean.shape) != 1:
        return "torch's BatchNorm normalizes one axis of features; this layer's statistics are not"
    if bool(layer.center) != bool(layer.scale):
        return (
            "torch's affine keeps both weight and bias or neither; "
            f"Keras' center={layer.center}, scale={layer.scale} has no such port"
        )
    channels, affine = mean.shape[0], bool(layer.scale)
    ndim = layer.input_spec.ndim if layer.input_spec is not None else None
    rank = min(3, max(1, (ndim or 4) - 2))
    links: list[Link] = []
    if affine:
        links += [("gamma", "weight", "renamed (Keras' gamma)")]
        links += [("beta", "bias", "renamed (Keras' beta)")]
    links += [
        ("moving_mean", "running_mean", BUFFER),
        ("moving_variance", "running_var", BUFFER),
        (None, "num_batches_tracked", f"{BUFFER} (an int64 scalar)"),
    ]
    if affine:
        why = P.batch_norm_vs_keras(channels).why
    else:
        why = f"torch keeps running_mean and running_var as buffers: -2 * {channels}"
    counts = P.batch_norm(channels, affine=affine, rank=rank)
    return _Port(counts, tuple(links), why)
