"""The `torch.nn` modules the course counts: Linear, Conv2d, RNN, LSTM, GRU, BatchNorm and
Sequential.

`lstm`, `gru`, `rnn`, `linear` and `conv2d` (parameters only) return a `Breakdown` whose terms are
named exactly as torch's parameters (`weight_ih_l0`, `bias_hh_l0_reverse`). `batch_norm` returns
a `TorchCounts`: parameters and buffers as two `Breakdown`s (buffer terms non-trainable) and what
`state_dict()` holds; `sequential` joins modules as `nn.Sequential` names them (`1.running_mean`).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from paramlab.core import _checks
from paramlab.core.formulas.recurrent import GATES
from paramlab.core.pytorch._counts import TorchCounts, counts
from paramlab.core.terms import Breakdown, Family, Term, fmt, term

# --- Linear and Conv2d -----------------------------------------------------------------------


def linear(in_features: int, out_features: int, *, bias: bool = True) -> Breakdown:
    """`nn.Linear`: weight (out, in) (the transpose of Keras' kernel) and bias: same count."""
    i = _checks.positive("in_features", in_features)
    o = _checks.positive("out_features", out_features)
    terms = [term("weight", (o, i), [("out_features", o), ("in_features", i)])]
    if _checks.flag("bias", bias):
        terms.append(term("bias", (o,), [("out_features", o)]))
    return Breakdown("nn.Linear", tuple(terms), family=Family.DENSE)


def conv2d(
    in_channels: int,
    out_channels: int,
    kernel_size: int | tuple[int, int],
    *,
    groups: int = 1,
    bias: bool = True,
) -> Breakdown:
    """`nn.Conv2d`: weight (out, in / groups, kh, kw), bias (out,). Keras' Conv2D count."""
    i = _checks.positive("in_channels", in_channels)
    o = _checks.positive("out_channels", out_channels)
    kh, kw = _checks.int_tuple("kernel_size", kernel_size, 2)
    g = _checks.positive("groups", groups)
    _checks.divides("groups", g, "in channels", i)
    _checks.divides("groups", g, "out channels", o)
    per_group = ("in_channels / groups", i // g) if g > 1 else ("in_channels", i)
    window = [("out_channels", o), per_group, ("kh", kh), ("kw", kw)]
    terms = [term("weight", (o, i // g, kh, kw), window)]
    if _checks.flag("bias", bias):
        terms.append(term("bias", (o,), [("out_channels", o)]))
    return Breakdown("nn.Conv2d", tuple(terms), family=Family.CONV2D)


# --- RNN, LSTM, GRU --------------------------------------------------------------------------

_MODULES = {Family.SIMPLE_RNN: "nn.RNN", Family.LSTM: "nn.LSTM", Family.GRU: "nn.GRU"}

SECOND_BIAS = (
    "the second bias: added to the first, so it changes nothing one bias could not, "
    "but it is a parameter and it is counted"
)


def _proj_size(proj: Any, h: int) -> int:
    p = _checks.integer("proj_size", proj)
    if p < 0:
        raise ValueError(
            "Invalid value for argument `proj_size`. Expected a positive integer, "
            f"or 0 for no projection. Received: proj_size={proj!r}"
        )
    if p >= h:
        raise ValueError(
            "The projection must be smaller than the hidden state: proj_size < hidden_size. "
            f"Received: proj_size={p}, hidden_size={h}"
        )
    return p


def _recurrent(
    cell: Family, hidden_size: int, input_size: int, bias: Any, layers: Any, two_way: Any, proj: Any
) -> Breakdown:
    h = _checks.positive("hidden_size", hidden_size)
    n = _checks.positive("input_size", input_size)
    layers = _checks.positive("num_layers", layers)
    use_bias = _checks.flag("bias", bias)
    two_way = _checks.flag("bidirectional", two_way)
    p = _proj_size(proj, h)
    g = GATES[cell]
    gate = [(str(g), g)] if g > 1 else []
    hid = [("hidden_size", h)]
    out = [("proj_size", p)] if p else hid  # the width of h_t: what feeds back and up
    directions = ("", "_reverse") if two_way else ("",)
    terms = []
    for k in range(layers):
        below = [("input_size", n)] if k == 0 else [*([("2", 2)] if two_way else []), *out]
        for suffix in directions:
            tail = f"_l{k}{suffix}"
            width = math.prod(v for _, v in below)
            terms.append(term(f"weight_ih{tail}", (g * h, width), [*gate, *hid, *below]))
            terms.append(term(f"weight_hh{tail}", (g * h, p or h), [*gate, *hid, *out]))
            if use_bias:
                terms.append(term(f"bias_ih{tail}", (g * h,), [*gate, *hid]))
                terms.append(term(f"bias_hh{tail}", (g * h,), [*gate, *hid], note=SECOND_BIAS))
            if p:
                terms.append(term(f"weight_hr{tail}", (p, h), [("proj_size", p), *hid]))
    notes = []
    if use_bias:
        notes.append(
            f"two biases per gate block (bias_ih and bias_hh, kept for cuDNN): {fmt(g * h)} "
            "more per layer and direction than one bias"
        )
    return Breakdown(_MODULES[cell], tuple(terms), tuple(notes), family=cell)


def lstm(
    hidden_size: int,
    input_size: int,
    *,
    bias: bool = True,
    num_layers: int = 1,
    bidirectional: bool = False,
    proj_size: int = 0,
) -> Breakdown:
    """`nn.LSTM(input_size, hidden_size)`: four gates, each with two biases (`bias_ih`,
    `bias_hh`): 4 * (hidden * (hidden + input) + 2 * hidden) for one layer, 4 * hidden more than
    Keras' LSTM. `proj_size` adds `weight_hr` (proj, hidden) and shrinks `weight_hh` to
    (4 * hidden, proj). Layers above the first read `num_directions * (proj_size or hidden_size)`
    features."""
    return _recurrent(
        Family.LSTM, hidden_size, input_size, bias, num_layers, bidirectional, proj_size
    )


def gru(
    hidden_size: int,
    input_size: int,
    *,
    bias: bool = True,
    num_layers: int = 1,
    bidirectional: bool = False,
) -> Breakdown:
    """`nn.GRU`: three gates, always two biases: Keras' GRU with `reset_after=True` (its
    default), 3 * hidden more than `reset_after=False`."""
    return _recurrent(Family.GRU, hidden_size, input_size, bias, num_layers, bidirectional, 0)


def rnn(
    hidden_size: int,
    input_size: int,
    *,
    bias: bool = True,
    num_layers: int = 1,
    bidirectional: bool = False,
) -> Breakdown:
    """`nn.RNN` (tanh or relu: the nonlinearity changes no count): one block, two biases."""
    return _recurrent(
        Family.SIMPLE_RNN, hidden_size, input_size, bias, num_layers, bidirectional, 0
    )


# --- BatchNorm --------------------------------------------------------------------------------


def batch_norm(
    num_features: int, *, affine: bool = True, track_running_stats: bool = True, rank: int = 2
) -> TorchCounts:
    """`nn.BatchNorm1d/2d/3d` (`rank`; all three hold the same): parameters `weight` and `bias`
    (Keras' gamma and beta) when `affine`; buffers `running_mean`, `running_var` (Keras'
    moving_mean and moving_variance) and the int64 scalar `num_batches_tracked` when
    `track_running_stats`. Keras counts 4 * features; torch's parameters are 2 * features."""
    c = _checks.positive("num_features", num_features)
    r = _checks.integer("rank", rank)
    if r not in (1, 2, 3):
        raise ValueError(f"torch has BatchNorm1d, BatchNorm2d and BatchNorm3d. Received: rank={r}")
    params = []
    if _checks.flag("affine", affine):
        params.append(term("weight", (c,), [("num_features", c)], note="Keras' gamma"))
        params.append(term("bias", (c,), [("num_features", c)], note="Keras' beta"))
    buffers = []
    if _checks.flag("track_running_stats", track_running_stats):
        running = "a buffer updated by forward passes in training mode, never by gradients"
        batches = "int64: counts training batches (the average's weights when momentum=None)"
        buffers += [
            term("running_mean", (c,), [("num_features", c)], trainable=False, note=running),
            term("running_var", (c,), [("num_features", c)], trainable=False, note=running),
            term("num_batches_tracked", (), [], trainable=False, note=batches),
        ]
    name = f"nn.BatchNorm{r}d"
    notes = (
        f"Keras' BatchNormalization counts {fmt((len(params) + 2) * c)} here, its moving "
        f"statistics as non-trainable weights; torch counts {fmt(len(params) * c)} and keeps "
        "running statistics as buffers",
    )
    family = Family.BATCH_NORM
    return TorchCounts(
        name,
        Breakdown(name, tuple(params), family=family),
        Breakdown("buffers", tuple(buffers), family=family),
        notes=notes,
    )


# --- nn.Sequential ----------------------------------------------------------------------------


def sequential(*modules: Breakdown | TorchCounts) -> TorchCounts:
    """`nn.Sequential(*modules)`: names gain the index (`0.weight`, `1.running_mean`) and
    `state_dict()` lists each submodule's parameters and then its buffers, in order."""
    if not modules:
        raise ValueError("nn.Sequential needs at least one module here. Received: modules=()")
    parts = [counts(m) for m in modules]

    def renamed(b: Breakdown, i: int) -> tuple[Term, ...]:
        return tuple(replace(t, name=f"{i}.{t.path}", scope="") for t in b.terms)

    params = tuple(t for i, p in enumerate(parts) for t in renamed(p.parameters, i))
    buffers = tuple(t for i, p in enumerate(parts) for t in renamed(p.buffers, i))
    keys = tuple(f"{i}.{k}" for i, p in enumerate(parts) for k in p.state_dict_keys)
    inner = ", ".join(p.module for p in parts)
    return TorchCounts(
        "nn.Sequential",
        Breakdown("nn.Sequential", params, family=Family.SEQUENTIAL),
        Breakdown("buffers", buffers, family=Family.SEQUENTIAL),
        keys,
        notes=(f"modules: {inner}",),
    )
