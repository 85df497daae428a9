"""Adapters for `paramlab.core.formulas.attention`: MultiHeadAttention, GroupQueryAttention,
Attention, AdditiveAttention."""

from __future__ import annotations

from typing import Any

from keras import layers as L

from paramlab.bridge._adapters._read import input_shape, last
from paramlab.bridge._registry import NoFormula, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown


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
