"""PyTorch's side of the course's figures: what `torch.nn` modules hold, named as torch names it.

Pure arithmetic: imports neither torch, keras nor ipywidgets; `tests/test_pytorch.py` checks
every name and shape against real torch (`named_parameters()`, `named_buffers()`, `state_dict()`).

A torch module holds two kinds of tensors, and only the first counts as parameters:
**parameters** (`module.parameters()`, trained by gradients) and **buffers** (`module.buffers()`,
updated by forward passes: BatchNorm's `running_mean`, `running_var` and the int64 scalar
`num_batches_tracked`). Keras keeps the running statistics as non-trainable weights and counts them.

`lstm`, `gru`, `rnn`, `linear` and `conv2d` (parameters only) return a `Breakdown` whose terms are
named exactly as torch's parameters (`weight_ih_l0`, `bias_hh_l0_reverse`). `batch_norm` returns
a `TorchCounts`: parameters and buffers as two `Breakdown`s (buffer terms non-trainable) and what
`state_dict()` holds; `sequential` joins modules as `nn.Sequential` names them (`1.running_mean`).

Conventions that differ besides the counts: momentum (Keras keeps `momentum` of the old average,
torch mixes in `momentum` of the new batch: `keras_momentum_to_torch`), epsilon (1e-3 against
1e-5), and the batch variance fed to the running average (torch unbiased, divided by n - 1;
Keras biased, divided by n).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from paramlab.core import _checks, formulas
from paramlab.core.formulas.recurrent import GATES
from paramlab.core.terms import Breakdown, Family, Term, fmt, term

KERAS_BATCHNORM_EPSILON = 1e-3
"""`keras.layers.BatchNormalization(epsilon=1e-3)`: the default."""
TORCH_BATCHNORM_EPSILON = 1e-5
"""`torch.nn.BatchNorm2d(eps=1e-5)`: the default, 100 times smaller than Keras'."""
KERAS_BATCHNORM_MOMENTUM = 0.99
"""Keras' default: keep 99% of the moving average, take 1% of each batch."""
TORCH_BATCHNORM_MOMENTUM = 0.1
"""torch's default: take 10% of each batch, which is Keras' `momentum=0.9`, not its default."""

INT64_BUFFERS = ("num_batches_tracked",)
"""Buffers stored as int64 (8 bytes each); every other tensor here is float32 (4 bytes)."""


@dataclass(frozen=True)
class TorchCounts:
    """A torch module's parameters and buffers, and the `state_dict()` they make together.

    `parameters` holds what `module.named_parameters()` yields (all trainable), `buffers` what
    `module.named_buffers()` yields (terms marked non-trainable; empty for a module without
    buffers). `state_dict_keys` is torch's
    order: each module's parameters, then its buffers, submodule after submodule.
    """

    module: str
    parameters: Breakdown
    buffers: Breakdown
    state_dict_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = self.parameters.term_names + self.buffers.term_names
        if not self.state_dict_keys:
            object.__setattr__(self, "state_dict_keys", names)
        elif sorted(self.state_dict_keys) != sorted(names):
            raise AssertionError(f"state_dict keys {self.state_dict_keys} are not {names}")

    @property
    def parameter_count(self) -> int:
        """`sum(p.numel() for p in module.parameters())`: the figure torch users quote."""
        return self.parameters.total

    @property
    def buffer_count(self) -> int:
        """`sum(b.numel() for b in module.buffers())`."""
        return self.buffers.total

    @property
    def state_dict_numel(self) -> int:
        """How many numbers `state_dict()` holds: parameters and buffers."""
        return self.parameter_count + self.buffer_count

    @property
    def state_dict_bytes(self) -> int:
        """Bytes of `state_dict()` in float32, int64 buffers at 8 bytes each."""
        terms = self.parameters.terms + self.buffers.terms
        return sum(t.count * (8 if _is_int64(t) else 4) for t in terms)

    def __getitem__(self, name: str) -> Term:
        for part in (self.parameters, self.buffers):
            if name in part.term_names:
                return part[name]
        raise KeyError(f"{self.module} has no parameter or buffer {name!r}")

    def __str__(self) -> str:
        lines = [f"{self.module}: {fmt(self.parameter_count)} parameters"]
        lines += [f"  {t}" for t in self.parameters.terms]
        lines.append(f"  parameters: {self.parameters.formula}")
        if self.buffers.terms:
            lines.append(f"  buffers (not parameters): {fmt(self.buffer_count)} numbers")
            lines += [
                f"  {t.path} {t.shape}: {t.formula}{' (int64)' if _is_int64(t) else ''}"
                for t in self.buffers.terms
            ]
        lines.append(
            f"  state_dict: {len(self.state_dict_keys)} entries, "
            f"{fmt(self.state_dict_numel)} numbers, {fmt(self.state_dict_bytes)} bytes"
        )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _is_int64(t: Term) -> bool:
    return t.name.rsplit(".", 1)[-1] in INT64_BUFFERS


def counts(part: Breakdown | TorchCounts) -> TorchCounts:
    """A module with parameters only (`lstm`, `linear`, ...) as `TorchCounts` (no buffers)."""
    if isinstance(part, TorchCounts):
        return part
    if not isinstance(part, Breakdown):
        raise TypeError(
            "Expected a Breakdown or TorchCounts from paramlab.core.pytorch. "
            f"Received: part={part!r} (of type {type(part).__name__})"
        )
    return TorchCounts(part.layer, part, Breakdown("buffers", family=part.family), notes=part.notes)


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


# --- Momentum --------------------------------------------------------------------------------


def _complement(name: str, value: Any, *, none_means: str = "") -> float:
    if value is None and none_means:
        raise ValueError(none_means + f" Received: {name}=None")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"The argument `{name}` must be a number between 0 and 1. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    if not 0 <= value <= 1:  # NaN fails this too
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a number between 0 and 1. "
            f"Received: {name}={value!r}"
        )
    # The shortest decimal that reads back as `value` (0.99), complemented exactly: 1 - 0.99 in
    # floats is 0.010000000000000009, the decimal complement is 0.01.
    exact = Fraction(value) if isinstance(value, numbers.Rational) else Fraction(repr(float(value)))
    return float(1 - exact)


def keras_momentum_to_torch(momentum: float) -> float:
    """Keras `momentum` -> torch `momentum`: `1 - momentum`, so 0.99 -> 0.01 and 0.9 -> 0.1.

    Keras:  moving  = momentum * moving + (1 - momentum) * batch
    torch:  running = (1 - momentum) * running + momentum * batch

    The complement is taken of the decimal the float stands for (its shortest `repr`), so the
    result is the float a person would type (0.01, not 1 - 0.99 = 0.010000000000000009). The
    round trip back is exact for decimals of up to 15 significant digits.
    """
    return _complement("momentum", momentum)


def torch_momentum_to_keras(momentum: float) -> float:
    """torch `momentum` -> Keras `momentum`: `1 - momentum` (0.1 -> 0.9, 0.01 -> 0.99).

    torch's `momentum=None` (a cumulative average, each batch weighted 1 / num_batches_tracked)
    has no Keras equivalent and raises ValueError.
    """
    why = (
        "torch's momentum=None keeps a cumulative average (batch t weighted 1 / t); "
        "Keras' BatchNormalization has no such setting."
    )
    return _complement("momentum", momentum, none_means=why)


# --- Side by side with Keras ------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One layer as Keras counts it and as torch counts it; `difference` is torch - Keras."""

    keras: Breakdown
    torch: TorchCounts
    why: str

    @property
    def difference(self) -> int:
        return self.torch.parameter_count - self.keras.total

    def __str__(self) -> str:
        return (
            f"Keras {self.keras.layer}: {fmt(self.keras.total)} | "
            f"torch {self.torch.module}: {fmt(self.torch.parameter_count)} | "
            f"torch - Keras = {self.difference:+,}: {self.why}"
        )


def lstm_vs_keras(units: int, input_dim: int) -> Comparison:
    """Keras LSTM(units) on input_dim features against nn.LSTM(input_dim, units): torch has
    4 * units more, its second bias `bias_hh_l0` (64 units on 6 features: 18,432 vs 18,176)."""
    k = formulas.lstm(units, input_dim)
    why = f"bias_hh_l0, the second bias: 4 * hidden_size = 4 * {units} = {fmt(4 * units)}"
    return Comparison(k, counts(lstm(units, input_dim)), why)


def gru_vs_keras(units: int, input_dim: int, *, reset_after: bool = True) -> Comparison:
    """Keras GRU against nn.GRU: equal with `reset_after=True`, torch 3 * units more without."""
    k = formulas.gru(units, input_dim, reset_after=reset_after)
    why = (
        "both keep two biases (Keras' bias has shape (2, 3 * units))"
        if reset_after
        else f"bias_hh_l0: reset_after=False keeps one bias, torch two: 3 * {units}"
    )
    return Comparison(k, counts(gru(units, input_dim)), why)


def simple_rnn_vs_keras(units: int, input_dim: int) -> Comparison:
    """Keras SimpleRNN against nn.RNN: torch has units more (`bias_hh_l0`)."""
    k = formulas.simple_rnn(units, input_dim)
    return Comparison(k, counts(rnn(units, input_dim)), f"bias_hh_l0, the second bias: {units}")


def batch_norm_vs_keras(channels: int) -> Comparison:
    """Keras BatchNormalization against nn.BatchNorm2d: Keras 4 * channels (2 of them
    non-trainable), torch 2 * channels; torch's parameters equal Keras' trainable count."""
    k = formulas.batch_normalization(channels)
    why = (
        f"torch keeps running_mean and running_var as buffers: -2 * {channels}; "
        "the trainable counts agree"
    )
    return Comparison(k, batch_norm(channels), why)
