"""Adapters for `paramlab.core.formulas.dense`: Dense, EinsumDense, Embedding,
ReversibleEmbedding."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from keras import layers as L

from paramlab.bridge._adapters._read import input_shape, last, lora, not_quantized
from paramlab.bridge._registry import NoFormula, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown


@register(L.Dense)
def _dense(layer: Any) -> Breakdown:
    not_quantized(layer)
    shape = input_shape(layer)
    b = F.dense(layer.units, last(shape), use_bias=layer.use_bias, lora_rank=lora(layer))
    if len(shape) > 2:
        note = (
            f"input {shape} has {len(shape)} axes: Dense acts on the last one only "
            f"({shape[-1]}), with the same kernel at every other position"
        )
        return replace(b, notes=(*b.notes, note))
    return b


@register(L.EinsumDense)
def _einsum_dense(layer: Any) -> Breakdown:
    not_quantized(layer)
    return F.einsum_dense(
        layer.equation,
        layer.partial_output_shape,
        input_shape(layer),
        bias_axes=layer.bias_axes,
        lora_rank=lora(layer),
    )


@register(L.Embedding)
def _embedding(layer: Any) -> Breakdown:
    not_quantized(layer)
    return F.embedding(layer.input_dim, layer.output_dim, lora_rank=lora(layer))


@register(L.ReversibleEmbedding)
def _reversible_embedding(layer: Any) -> Breakdown:
    not_quantized(layer)
    if lora(layer):
        raise NoFormula("LoRA on a ReversibleEmbedding is not modelled")
    return F.reversible_embedding(layer.input_dim, layer.output_dim, tie_weights=layer.tie_weights)
