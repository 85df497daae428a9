"""Costs for `explain(model, batch_size=...)`: each row's activations and multiply-adds for one
batch, from the calls Keras recorded in the model's graph, computed by `paramlab.core.costs`
(which states the convention).

A layer's calls are its nodes in the graph of the model that holds it; a model nested in
another runs once per call of it there, so its layers' calls count that many times. A layer
Keras recorded no call of (inside a custom layer's or a subclassed model's `call()`) has
unknown shapes, and its row says so; a layer explained on its own counts once, at the shape
it was built with.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import keras
from keras import layers as L

from paramlab.bridge._adapters._read import input_shape as built_shape
from paramlab.bridge._registry import NoFormula
from paramlab.core import costs as C
from paramlab.core.terms import Family

ShapeLike = tuple[int | None, ...]
Shapes = tuple[C.Shape | None, ...]
MacsFn = Callable[[Any, Shapes, dict[str, C.Shape]], C.Macs]

NO_CALL = (
    "Keras recorded no call of this layer in a model's graph (it runs inside a custom layer's "
    "or a subclassed model's call()), so its shapes for a batch are unknown"
)
NESTED_INPUT = "the input of a nested model is the tensor passed in, counted where it was made"
_NORMALIZATION = tuple(
    getattr(L, n)
    for n in [
        "BatchNormalization",
        "LayerNormalization",
        "GroupNormalization",
        "RMSNormalization",
        "UnitNormalization",
        "Normalization",
    ]
    if hasattr(L, n)
)


class NotCounted(Exception):
    """The layer's class has a cost formula, but not for this configuration (say why)."""


@dataclass(frozen=True)
class Call:
    """One call of a layer: the shapes of its tensor arguments (None for other arguments) and
    of its outputs with their dtypes, and how many times it runs per batch of the model."""

    args: tuple[ShapeLike | None, ...]
    kwargs: dict[str, ShapeLike]
    outputs: tuple[tuple[ShapeLike, str], ...]
    times: int = 1


@dataclass
class Sites:
    """Every layer's calls (by id), and the nested models' inputs (aliases of outer tensors)."""

    calls: dict[int, list[Call]] = field(default_factory=lambda: defaultdict(list))
    aliases: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, root: Any) -> Sites:
        sites = cls()
        if isinstance(root, keras.Model):
            sites._walk(root, 1, nested=False)
        else:
            nodes = root._inbound_nodes
            sites.calls[id(root)] = [_from_node(n, 1) for n in nodes] or [_built_call(root)]
        return sites

    def _walk(self, model: Any, times: int, *, nested: bool) -> None:
        graph = _graph(model)
        if graph is None:
            return  # a subclassed model: no graph, so no recorded calls
        for layer in model.layers:
            mine = [n for n in layer._inbound_nodes if id(n) in graph]
            if nested and isinstance(layer, L.InputLayer):
                self.aliases.add(id(layer))
                continue
            self.calls[id(layer)] += [_from_node(n, times) for n in mine]
            if isinstance(layer, keras.Model) and mine:
                self._walk(layer, times * len(mine), nested=True)


def _graph(model: Any) -> set[int] | None:
    """The ids of the nodes of a model's graph (a Sequential's is its inner Functional's)."""
    fn = model._functional if isinstance(model, keras.Sequential) else model
    by_depth = getattr(fn, "_nodes_by_depth", None)
    if by_depth is None:
        return None
    return {id(n) for nodes in by_depth.values() for n in nodes}


def _shape(x: Any) -> ShapeLike | None:
    return tuple(x.shape) if isinstance(x, keras.KerasTensor) else None


def _from_node(node: Any, times: int) -> Call:
    kwargs = {k: tuple(v.shape) for k, v in node.arguments.kwargs.items() if _shape(v)}
    outputs = tuple((tuple(t.shape), str(t.dtype)) for t in node.output_tensors)
    return Call(tuple(_shape(a) for a in node.arguments.args), kwargs, outputs, times)


def _built_call(layer: Any) -> Call:
    """A layer built but never called: one call at the shape it was built with."""
    try:
        shape = built_shape(layer)
    except NoFormula:
        return Call((), {}, ())
    if isinstance(shape, dict):
        args = (shape.get("query_shape"), shape.get("value_shape"))
        kwargs = {"key": shape["key_shape"]} if shape.get("key_shape") else {}
        return Call(args, kwargs, ())
    try:
        out = layer.compute_output_shape(shape)
    except Exception:  # any failure only leaves the activations unknown
        return Call((shape,), {}, ())
    outs = out if isinstance(out, list) else [out]
    return Call((shape,), {}, tuple((tuple(o), layer.compute_dtype) for o in outs))


def row_costs(root: Any, layers: Sequence[Any], batch_size: int) -> list[C.Cost]:
    """One `Cost` per row, for the layer each row stands for."""
    sites = Sites.of(root)
    return [_cost(layer, sites, batch_size) for layer in layers]


def _cost(layer: Any, sites: Sites, n: int) -> C.Cost:
    if id(layer) in sites.aliases:
        return C.Cost(n, None, None, None, NESTED_INPUT, None, NESTED_INPUT)
    calls = sites.calls.get(id(layer), [])
    if not calls:
        return C.Cost(n, None, None, None, NO_CALL, None, NO_CALL)
    values, size, note = _activations(calls, n)
    macs, how = _macs(layer, calls, n)
    count = None if macs is None else macs.count
    return C.Cost(n, values, size, count, how, macs, note)


def _activations(calls: list[Call], n: int) -> tuple[int | None, int | None, str]:
    if any(not c.outputs for c in calls):
        return None, None, "Keras recorded no output shape for this layer"
    values = size = 0
    try:
        for c in calls:
            a = C.activations([(C.batched(s, n), d) for s, d in c.outputs])
            values, size = values + c.times * a.values, size + c.times * a.bytes
    except ValueError as err:
        return None, None, f"unknown: {err}"
    return values, size, ""


def _macs(layer: Any, calls: list[Call], n: int) -> tuple[C.Macs | None, str]:
    fn = _macs_fn(layer)
    if fn is None:
        return None, _why_not(layer)
    per_call = []
    try:
        for c in calls:
            args = tuple(None if s is None else C.batched(s, n) for s in c.args)
            kwargs = {k: C.batched(s, n) for k, s in c.kwargs.items()}
            per_call.append((fn(layer, args, kwargs), c.times))
    except NotCounted as err:
        return None, str(err)
    except (ValueError, TypeError, IndexError) as err:
        return None, f"unknown: {err}"
    macs = _combine(type(layer).__name__, per_call)
    return macs, macs.formula


def _combine(name: str, per_call: list[tuple[C.Macs, int]]) -> C.Macs:
    """One call's multiply-adds as they are; several calls (or a nested model's repeats) as
    one, each part's positions multiplied by the calls."""

    def repeat(m: C.Macs, k: int) -> C.Macs:
        if k == 1:
            return m
        parts = tuple(
            replace(p, times=k * p.times, times_values=f"{k} calls * {p.times_values}")
            for p in m.parts
        )
        return replace(m, parts=parts)

    first = per_call[0][0]
    if all(m == first for m, _ in per_call):
        return repeat(first, sum(k for _, k in per_call))
    calls = [(f"call {i}", repeat(m, k)) for i, (m, k) in enumerate(per_call, 1)]
    return C.nested(name, *calls)


def _why_not(layer: Any) -> str:
    if isinstance(layer, L.InputLayer):
        return "an input, no arithmetic"
    if isinstance(layer, _NORMALIZATION):
        return "normalization is an elementwise scale and shift, outside the convention"
    if not layer.weights:
        return "no weights: only the multiply-adds of weights are counted"
    return f"no multiply-add formula for {type(layer).__name__}"


_MACS: dict[type, MacsFn] = {}


def _register(*classes: type) -> Callable[[MacsFn], MacsFn]:
    def wrap(fn: MacsFn) -> MacsFn:
        for cls in classes:
            _MACS[cls] = fn
        return fn

    return wrap


def _macs_fn(layer: Any) -> MacsFn | None:
    for cls in type(layer).__mro__:
        if cls in _MACS:
            return _MACS[cls]
    return None


def _plain(layer: Any) -> None:
    """Refuse LoRA and quantized layers: their arithmetic is not the plain kernel's."""
    if getattr(layer, "lora_enabled", False):
        raise NotCounted("LoRA adds a low-rank product the convention does not model")
    if getattr(layer, "quantization_mode", None):
        raise NotCounted("a quantized kernel's arithmetic is not modelled")


def _first(args: Shapes) -> C.Shape:
    if not args or args[0] is None:
        raise NotCounted("its input is not a single tensor")
    return args[0]


def _channels_last(layer: Any, shape: C.Shape) -> C.Shape:
    if getattr(layer, "data_format", "channels_last") == "channels_first":
        return (shape[0], *shape[2:], shape[1])
    return shape


@_register(L.Dense)
def _dense(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    _plain(layer)
    return C.dense(_first(args), units=layer.units, use_bias=layer.use_bias)


@_register(L.Conv1D, L.Conv2D, L.Conv3D)
def _conv(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    _plain(layer)
    return C.conv(
        layer.rank,
        _channels_last(layer, _first(args)),
        filters=layer.filters,
        kernel_size=layer.kernel_size,
        strides=layer.strides,
        padding=layer.padding,
        dilation_rate=layer.dilation_rate,
        groups=layer.groups,
        use_bias=layer.use_bias,
    )


@_register(L.Conv1DTranspose, L.Conv2DTranspose, L.Conv3DTranspose)
def _conv_transpose(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    return C.conv_transpose(
        layer.rank,
        _channels_last(layer, _first(args)),
        filters=layer.filters,
        kernel_size=layer.kernel_size,
        strides=layer.strides,
        padding=layer.padding,
        dilation_rate=layer.dilation_rate,
        output_padding=layer.output_padding,
        use_bias=layer.use_bias,
    )


@_register(L.DepthwiseConv1D, L.DepthwiseConv2D)
def _depthwise(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    return C.depthwise_conv(
        layer.rank,
        _channels_last(layer, _first(args)),
        kernel_size=layer.kernel_size,
        strides=layer.strides,
        padding=layer.padding,
        dilation_rate=layer.dilation_rate,
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )


@_register(L.SeparableConv1D, L.SeparableConv2D)
def _separable(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    return C.separable_conv(
        layer.rank,
        _channels_last(layer, _first(args)),
        filters=layer.filters,
        kernel_size=layer.kernel_size,
        strides=layer.strides,
        padding=layer.padding,
        dilation_rate=layer.dilation_rate,
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )


def _cell(cell: Any, shape: C.Shape) -> C.Macs:
    """A recurrent cell over (batch, steps, inputs); a stack of cells, each on the last's units."""
    if isinstance(cell, L.StackedRNNCells):
        inner = []
        for i, c in enumerate(cell.cells):
            inner.append((f"cell_{i}", _cell(c, shape)))
            shape = (*shape[:2], c.units)
        return C.nested("StackedRNNCells", *inner)
    kinds = (
        (L.LSTMCell, Family.LSTM),
        (L.GRUCell, Family.GRU),
        (L.SimpleRNNCell, Family.SIMPLE_RNN),
    )
    for cls, family in kinds:
        if isinstance(cell, cls):
            reset_after = bool(getattr(cell, "reset_after", False))
            return C.recurrent(
                family, shape, units=cell.units, use_bias=cell.use_bias, reset_after=reset_after
            )
    raise NotCounted(f"no multiply-add formula for the cell {type(cell).__name__}")


@_register(L.RNN)
def _rnn(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    return _cell(layer.cell, _first(args))


@_register(L.Bidirectional)
def _bidirectional(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    shape = _first(args)
    forward, backward = layer.forward_layer, layer.backward_layer
    return C.nested(
        "Bidirectional",
        (forward.name, _rnn(forward, (shape,), {})),
        (backward.name, _rnn(backward, (shape,), {})),
    )


@_register(L.TimeDistributed)
def _time_distributed(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    """The inner layer on every step: a batch of batch * steps."""
    shape = _first(args)
    fn = _macs_fn(layer.layer)
    if fn is None:
        raise NotCounted(f"{type(layer.layer).__name__} inside: {_why_not(layer.layer)}")
    n, steps = shape[0], shape[1]
    inner = fn(layer.layer, ((n * steps, *shape[2:]),), {})
    parts = tuple(
        replace(p, times_values=p.times_values.replace(str(n * steps), f"{n} * {steps}", 1))
        for p in inner.parts
    )
    return C.nested("TimeDistributed", (layer.layer.name, replace(inner, parts=parts)))


@_register(L.MultiHeadAttention)
def _attention(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    query = kwargs.get("query") or _first(args)
    value = kwargs.get("value") or (args[1] if len(args) > 1 else None)
    key = kwargs.get("key") or (args[2] if len(args) > 2 else None)
    if value is None:
        raise NotCounted("its value is not a tensor")
    out = layer._output_shape
    return C.multi_head_attention(
        query,
        value,
        key,
        num_heads=layer.num_heads,
        key_dim=layer.key_dim,
        value_dim=layer.value_dim,
        output_size=math.prod(out) if out else None,
        attention_axes=layer.attention_axes,
        use_bias=layer.use_bias,
        use_gate=bool(getattr(layer, "_use_gate", False)),
    )


@_register(L.Embedding)
def _embedding(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
    return C.embedding()


if hasattr(L, "ReversibleEmbedding"):

    @_register(L.ReversibleEmbedding)
    def _reversible(layer: Any, args: Shapes, kwargs: dict[str, C.Shape]) -> C.Macs:
        raise NotCounted("called with reverse=True it is a product with the table, not a lookup")
