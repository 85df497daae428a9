"""What a layer costs for one batch: the activations it outputs and its multiply-adds (MACs).

Pure: shapes (batch axis included) and layer arguments in, counts out; no keras import.
`paramlab.bridge._costs` reads a built model's shapes and arguments into these functions.

The convention is torchinfo's "Mult-Adds", the cross-check the tests use:

- **Weights times the positions they are applied at**: one multiply-add per weight per
  position. A Dense kernel at every position of the input's leading axes (the batch, and the
  steps or pixels of an N-D input), a convolution's kernel at every output position, a
  recurrent layer's kernel, recurrent kernel and bias at every time step.
- **A bias counts**: one multiply-add per bias value per position, as torchinfo counts it.
- **Padding counts as input**: a window over 'same' or 'causal' padding costs its whole kernel
  (the zeros are multiplied), as torchinfo's parameters times output positions does.
- **Elementwise arithmetic is not counted**: activation functions, the gates' products inside
  LSTM and GRU, softmax and the attention's scaling, normalization, pooling, merging. A layer
  made only of such arithmetic gets no figure ("—"), and its row says why.

Where torchinfo 1.8's shortcut is not the count of the multiply-adds, this module counts them: a
**Dense on an N-D input** at every leading position (torchinfo: the batch only); a **transposed
convolution**'s kernel once per *input* position (each input value spread through the whole
kernel; what 'same' crops was still computed), its bias per output position, which equals the
matching forward convolution's count (torchinfo's output positions also multiply the zeros a
transposed convolution pads and strides its input with); **Embedding** as 0, a lookup
(torchinfo: its whole table per sample); and **MultiHeadAttention**'s projections (query, key,
value, gate, attention_output) each at its own positions, plus the scores (one multiply-add per
`key_dim` per query-key pair per head) and the weighted sum (per `value_dim` per pair per head),
which torchinfo leaves out.

Activations are every number a layer outputs for the batch (all of its outputs, every call),
and their bytes at the output dtype (float16 under mixed precision).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from paramlab.core import _checks
from paramlab.core.shapes import conv_output_length, conv_transpose_output_length
from paramlab.core.terms import Family, fmt

Shape = tuple[int, ...]

DTYPE_BYTES = {
    **dict.fromkeys(("bool", "int8", "uint8", "float8_e4m3fn", "float8_e5m2"), 1),
    **dict.fromkeys(("int16", "uint16", "float16", "bfloat16"), 2),
    **dict.fromkeys(("int32", "uint32", "float32"), 4),
    **dict.fromkeys(("int64", "uint64", "float64", "complex64"), 8),
    "complex128": 16,
}
_GATES = {Family.SIMPLE_RNN: 1, Family.LSTM: 4, Family.GRU: 3}


def dtype_bytes(dtype: str) -> int:
    """Bytes per number of a dtype named as Keras names it: 'float16' -> 2."""
    if dtype not in DTYPE_BYTES:
        raise ValueError(f"No byte size known for this dtype. Received: dtype={dtype!r}")
    return DTYPE_BYTES[dtype]


def batched(shape: Sequence[int | None], batch_size: int) -> Shape:
    """`shape` with its first axis, the batch, set to `batch_size` (whatever Keras recorded
    there: None, or the batch a model was first called on); every other axis must be fixed."""
    n = _checks.positive("batch_size", batch_size)
    if not shape or any(d is None for d in shape[1:]):
        raise ValueError(f"an axis besides the batch has no fixed size: {tuple(shape)}")
    return (n, *(int(d) for d in shape[1:]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Activations:
    """What a layer outputs for one batch: how many numbers, and their bytes at their dtypes."""

    values: int
    bytes: int


def activations(outputs: Sequence[tuple[Shape, str]]) -> Activations:
    """The numbers and bytes of a layer's outputs, each `(shape with its batch, dtype)`."""
    values = sum(math.prod(shape) for shape, _ in outputs)
    size = sum(math.prod(shape) * dtype_bytes(dtype) for shape, dtype in outputs)
    return Activations(values, size)


@dataclass(frozen=True)
class Part:
    """Multiply-adds of one weight (or one step of attention): `per` at each of `times` positions.

    `name` is the weight's (`kernel`, `recurrent_kernel`, `query`) or the step's (`scores`);
    `where` says what a position is (`positions`, `steps`, `input positions`) and `times_values`
    how `times` comes about (`32 * 41`: the batch times the output length).
    """

    name: str
    per: int
    times: int
    where: str
    times_values: str

    @property
    def count(self) -> int:
        return self.per * self.times


@dataclass(frozen=True)
class Macs:
    """A layer's multiply-adds for one batch, part by part; `note` says what a 0 means."""

    layer: str
    parts: tuple[Part, ...]
    note: str = ""

    @property
    def count(self) -> int:
        return sum(p.count for p in self.parts)

    @property
    def formula(self) -> str:
        """The parts grouped by the positions they are applied at, then the total:
        `(kernel 7,200 + bias 32) * 1,312 positions (32 * 41) = 9,488,384`."""
        if not self.parts:
            return f"0: {self.note}" if self.note else "0"
        groups: list[list[Part]] = []
        for p in self.parts:
            if groups and (groups[-1][0].times, groups[-1][0].where) == (p.times, p.where):
                groups[-1].append(p)
            else:
                groups.append([p])
        sums = []
        for group in groups:
            inner = " + ".join(f"{p.name} {fmt(p.per)}" for p in group)
            inner = f"({inner})" if len(group) > 1 else inner
            first = group[0]
            how = f" ({first.times_values})" if "*" in first.times_values else ""
            sums.append(f"{inner} * {fmt(first.times)} {first.where}{how}")
        return f"{' + '.join(sums)} = {fmt(self.count)}"

    def __str__(self) -> str:
        lines = [f"{self.layer}: {fmt(self.count)} multiply-adds"]
        lines += [
            f"  {p.name}: {fmt(p.per)} per position * {fmt(p.times)} {p.where} = {fmt(p.count)}"
            for p in self.parts
        ]
        if self.note:
            lines.append(f"  note: {self.note}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Cost:
    """A row's cost for a batch of `batch_size`: its activations and bytes (None when the
    shapes are unknown, `activations_note` says why) and its multiply-adds (None when the
    convention gives none: `how` says why; otherwise `how` is the formula)."""

    batch_size: int
    activations: int | None
    activation_bytes: int | None
    macs: int | None
    how: str
    breakdown: Macs | None = None
    activations_note: str = ""


def _at(shape: Shape) -> tuple[int, str]:
    """How many positions the leading axes hold, and the product written out."""
    return math.prod(shape), " * ".join(str(d) for d in shape)


def _parts(pairs: Sequence[tuple[str, int]], times: int, where: str, values: str) -> list[Part]:
    return [Part(name, per, times, where, values) for name, per in pairs if per]


def dense(input_shape: Shape, *, units: int, use_bias: bool = True) -> Macs:
    """Dense on `(batch, ..., inputs)`: kernel and bias at every position of the leading axes."""
    u = _checks.positive("units", units)
    times, values = _at(input_shape[:-1])
    pairs = [
        ("kernel", input_shape[-1] * u),
        ("bias", u if _checks.flag("use_bias", use_bias) else 0),
    ]
    return Macs("Dense", tuple(_parts(pairs, times, "positions", values)))


def _spatial(rank: int, input_shape: Shape) -> None:
    if len(input_shape) != rank + 2:
        raise ValueError(
            f"A rank-{rank} convolution takes (batch, *{rank} spatial axes, channels). "
            f"Received: input_shape={input_shape}"
        )


def _positions(
    rank: int,
    input_shape: Shape,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int],
    padding: str,
    dilation_rate: int | Sequence[int],
) -> tuple[Shape, int, str]:
    """A sliding window's kernel size, and its output positions (batch included) written out."""
    _spatial(rank, input_shape)
    ks = _checks.int_tuple("kernel_size", kernel_size, rank)
    ss = _checks.int_tuple("strides", strides, rank)
    ds = _checks.int_tuple("dilation_rate", dilation_rate, rank)
    out = tuple(
        conv_output_length(n, k, padding=padding, strides=s, dilation_rate=d).length
        for n, k, s, d in zip(input_shape[1:-1], ks, ss, ds, strict=True)
    )
    return (ks, *_at((input_shape[0], *out)))


def conv(
    rank: int,
    input_shape: Shape,
    *,
    filters: int,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
    padding: str = "valid",
    dilation_rate: int | Sequence[int] = 1,
    groups: int = 1,
    use_bias: bool = True,
) -> Macs:
    """Conv1D/2D/3D on `(batch, *spatial, channels)` (channels last): each output position
    costs the whole kernel, `prod(kernel_size) * channels / groups * filters`, and the bias."""
    ks, times, values = _positions(rank, input_shape, kernel_size, strides, padding, dilation_rate)
    f, g = _checks.positive("filters", filters), _checks.positive("groups", groups)
    c = input_shape[-1]
    _checks.divides("groups", g, "input channels", c)
    pairs = [("kernel", math.prod(ks) * (c // g) * f), ("bias", f if use_bias else 0)]
    return Macs(f"Conv{rank}D", tuple(_parts(pairs, times, "positions", values)))


def conv_transpose(
    rank: int,
    input_shape: Shape,
    *,
    filters: int,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
    padding: str = "valid",
    dilation_rate: int | Sequence[int] = 1,
    output_padding: int | Sequence[int] | None = None,
    use_bias: bool = True,
) -> Macs:
    """Conv1D/2D/3DTranspose: the kernel at every input position (each input value spread
    through it), the bias at every output position."""
    _spatial(rank, input_shape)
    ks = _checks.int_tuple("kernel_size", kernel_size, rank)
    f, c = _checks.positive("filters", filters), input_shape[-1]
    ss = _checks.int_tuple("strides", strides, rank)
    ds = _checks.int_tuple("dilation_rate", dilation_rate, rank)
    ops = (
        (None,) * rank
        if output_padding is None
        else _checks.int_tuple("output_padding", output_padding, rank, allow_zero=True)
    )
    out = tuple(
        conv_transpose_output_length(
            n, k, padding=padding, strides=s, dilation_rate=d, output_padding=op
        ).length
        for n, k, s, d, op in zip(input_shape[1:-1], ks, ss, ds, ops, strict=True)
    )
    times_in, values_in = _at(input_shape[:-1])
    times_out, values_out = _at((input_shape[0], *out))
    parts = _parts([("kernel", math.prod(ks) * c * f)], times_in, "input positions", values_in)
    parts += _parts([("bias", f if use_bias else 0)], times_out, "output positions", values_out)
    return Macs(f"Conv{rank}DTranspose", tuple(parts))


def depthwise_conv(
    rank: int,
    input_shape: Shape,
    *,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
    padding: str = "valid",
    dilation_rate: int | Sequence[int] = 1,
    depth_multiplier: int = 1,
    use_bias: bool = True,
) -> Macs:
    """DepthwiseConv1D/2D: each output position costs `prod(kernel_size)` per channel and
    multiplier, `prod(kernel_size) * channels * depth_multiplier`, and the bias."""
    ks, times, values = _positions(rank, input_shape, kernel_size, strides, padding, dilation_rate)
    m, c = _checks.positive("depth_multiplier", depth_multiplier), input_shape[-1]
    pairs = [("kernel", math.prod(ks) * c * m), ("bias", c * m if use_bias else 0)]
    return Macs(f"DepthwiseConv{rank}D", tuple(_parts(pairs, times, "positions", values)))


def separable_conv(
    rank: int,
    input_shape: Shape,
    *,
    filters: int,
    kernel_size: int | Sequence[int],
    strides: int | Sequence[int] = 1,
    padding: str = "valid",
    dilation_rate: int | Sequence[int] = 1,
    depth_multiplier: int = 1,
    use_bias: bool = True,
) -> Macs:
    """SeparableConv1D/2D: the depthwise window and the 1x1 pointwise kernel at every output
    position (the depthwise step has the strides, so both run at the same positions)."""
    ks, times, values = _positions(rank, input_shape, kernel_size, strides, padding, dilation_rate)
    f = _checks.positive("filters", filters)
    m, c = _checks.positive("depth_multiplier", depth_multiplier), input_shape[-1]
    pairs = [("depthwise_kernel", math.prod(ks) * c * m), ("pointwise_kernel", c * m * f)]
    pairs.append(("bias", f if use_bias else 0))
    return Macs(f"SeparableConv{rank}D", tuple(_parts(pairs, times, "positions", values)))


def recurrent(
    family: Family,
    input_shape: Shape,
    *,
    units: int,
    use_bias: bool = True,
    reset_after: bool = False,
) -> Macs:
    """SimpleRNN, LSTM or GRU on `(batch, steps, inputs)`: at every step of every sequence its
    kernel, recurrent kernel and bias (each gate's share), whatever `return_sequences` says."""
    if family not in _GATES or len(input_shape) != 3:
        raise ValueError(
            "Recurrent costs are for SimpleRNN, LSTM and GRU on (batch, steps, inputs). "
            f"Received: family={family!s}, input_shape={input_shape}"
        )
    u, g = _checks.positive("units", units), _GATES[family]
    biases = 2 if family is Family.GRU and reset_after else 1
    times, values = _at(input_shape[:2])
    pairs = [
        ("kernel", input_shape[-1] * g * u),
        ("recurrent_kernel", u * g * u),
        ("bias", biases * g * u if use_bias else 0),
    ]
    return Macs(family.value, tuple(_parts(pairs, times, "steps", values)))


def nested(layer: str, *inner: tuple[str, Macs]) -> Macs:
    """Several inner layers' multiply-adds as one (Bidirectional's two directions, a stack of
    cells, TimeDistributed's layer), each part named under its scope (`forward_lstm/kernel`)."""
    parts = tuple(
        replace(p, name=f"{scope}/{p.name}" if scope else p.name)
        for scope, macs in inner
        for p in macs.parts
    )
    notes = "; ".join(m.note for _, m in inner if m.note)
    return Macs(layer, parts, notes)


def multi_head_attention(
    query_shape: Shape,
    value_shape: Shape,
    key_shape: Shape | None = None,
    *,
    num_heads: int,
    key_dim: int,
    value_dim: int | None = None,
    output_size: int | None = None,
    attention_axes: Sequence[int] | None = None,
    use_bias: bool = True,
    use_gate: bool = False,
) -> Macs:
    """MultiHeadAttention: the projections at their positions, then per head and query
    position the scores against every key (`key_dim` each) and the weighted sum of the values
    (`value_dim` each). `attention_axes` index the input's axes (default: all but the batch and
    the features); the other middle axes act as extra batch axes. `output_size` is the product
    of `output_shape` (default: the query's features)."""
    h, kd = _checks.positive("num_heads", num_heads), _checks.positive("key_dim", key_dim)
    vd = kd if value_dim is None else _checks.positive("value_dim", value_dim)
    k_shape = value_shape if key_shape is None else key_shape
    out = query_shape[-1] if output_size is None else _checks.positive("output_size", output_size)
    axes = tuple(range(1, len(query_shape) - 1)) if attention_axes is None else attention_axes
    keys = math.prod(k_shape[a] for a in axes)
    q_times, q_values = _at(query_shape[:-1])
    k_times, k_values = _at(k_shape[:-1])
    b = 1 if use_bias else 0
    query = [
        ("query", query_shape[-1] * h * kd + b * h * kd),
        ("gate", (query_shape[-1] * h * vd + b * h * vd) if use_gate else 0),
        ("scores", h * keys * kd),
        ("weighted sum", h * keys * vd),
        ("attention_output", h * vd * out + b * out),
    ]
    key = [
        ("key", k_shape[-1] * h * kd + b * h * kd),
        ("value", value_shape[-1] * h * vd + b * h * vd),
    ]
    parts = _parts(query, q_times, "query positions", q_values)
    parts += _parts(key, k_times, "key positions", k_values)
    return Macs("MultiHeadAttention", tuple(parts))


def embedding() -> Macs:
    """Embedding: a lookup, so 0 multiply-adds."""
    return Macs("Embedding", (), "a lookup: rows of `embeddings` are read, none multiplied")
