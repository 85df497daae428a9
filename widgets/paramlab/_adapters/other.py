"""Adapters for normalization and attention layers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from keras import layers as L

from paramlab import formulas as F
from paramlab._registry import (
    NoFormula,
    input_shape,
    last,
    register,
)
from paramlab.terms import Breakdown

# --- normalization --------------------------------------------------------------------------


def _axes(layer: Any, shape: Sequence[int | None]) -> tuple[int, ...]:
    axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
    dims = tuple(shape[a] for a in axes)
    if any(d is None for d in dims):
        raise NoFormula(f"a normalized axis of the input has no fixed size: {shape}")
    return dims  # type: ignore[return-value]


@register(L.BatchNormalization)
def _batch_norm(layer: Any) -> Breakdown:
    (features,) = _axes(layer, input_shape(layer))
    return F.batch_normalization(features, center=layer.center, scale=layer.scale)


@register(L.LayerNormalization)
def _layer_norm(layer: Any) -> Breakdown:
    dims = _axes(layer, input_shape(layer))
    rms = bool(getattr(layer, "rms_scaling", False))
    return F.layer_normalization(dims, center=layer.center and not rms, scale=layer.scale or rms)


@register(L.RMSNormalization)
def _rms_norm(layer: Any) -> Breakdown:
    return F.rms_normalization(_axes(layer, input_shape(layer)))


@register(L.GroupNormalization)
def _group_norm(layer: Any) -> Breakdown:
    (channels,) = _axes(layer, input_shape(layer))
    return F.group_normalization(layer.groups, channels, center=layer.center, scale=layer.scale)


@register(L.UnitNormalization)
def _unit_norm(layer: Any) -> Breakdown:
    return F.unit_normalization()


@register(L.Normalization)
def _normalization(layer: Any) -> Breakdown:
    if layer.input_mean is not None:
        return F.normalization(1, given=True)
    shape = input_shape(layer)
    axes = (
        ()
        if layer.axis is None
        else (layer.axis if isinstance(layer.axis, (list, tuple)) else (layer.axis,))
    )
    keep = sorted(a % len(shape) for a in axes)
    return F.normalization(tuple(shape[a] for a in keep))


# --- attention ------------------------------------------------------------------------------


def _qkv(layer: Any) -> tuple[int, int, int]:
    shapes = input_shape(layer)
    if not isinstance(shapes, dict):
        raise NoFormula("the attention layer was not built with query and value shapes")
    query, value = shapes["query_shape"], shapes["value_shape"]
    key = shapes.get("key_shape") or value
    return last(query, "query"), last(value, "value"), last(key, "key")


@register(L.MultiHeadAttention)
def _mha(layer: Any) -> Breakdown:
    q, v, k = _qkv(layer)
    config = layer.get_config()
    return F.multi_head_attention(
        config["num_heads"],
        config["key_dim"],
        q,
        v,
        key_input_dim=k,
        value_dim=config["value_dim"],
        output_shape=config["output_shape"],
        use_bias=config["use_bias"],
        use_gate=config.get("use_gate", False),
    )


@register(L.GroupQueryAttention)
def _gqa(layer: Any) -> Breakdown:
    q, v, k = _qkv(layer)
    return F.grouped_query_attention(
        layer.head_dim,
        layer.num_query_heads,
        layer.num_key_value_heads,
        q,
        v,
        key_input_dim=k,
        use_bias=layer.use_bias,
        use_gate=getattr(layer, "use_gate", False),
    )


@register(L.Attention)
def _attention(layer: Any) -> Breakdown:
    return F.dot_product_attention(use_scale=layer.use_scale, score_mode=layer.score_mode)


@register(L.AdditiveAttention)
def _additive(layer: Any) -> Breakdown:
    shapes = input_shape(layer)
    return F.additive_attention(last(shapes[0], "query"), use_scale=layer.use_scale)
