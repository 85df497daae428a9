"""Adapters for Dense, EinsumDense, Embedding and the convolutions."""

from __future__ import annotations

from typing import Any

from keras import layers as L

from paramlab import formulas as F
from paramlab._registry import (
    NoFormula,
    channels,
    input_shape,
    last,
    lora,
    not_quantized,
    register,
)
from paramlab.terms import Breakdown

# --- core -------------------------------------------------------------------------------------


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
        return Breakdown(b.layer, b.terms, (*b.notes, note))
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


# --- convolution ----------------------------------------------------------------------------


@register(L.Conv1D, L.Conv2D, L.Conv3D)
def _conv(layer: Any) -> Breakdown:
    not_quantized(layer)
    shape = input_shape(layer)
    return F.conv(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        channels(layer, shape),
        groups=layer.groups,
        use_bias=layer.use_bias,
        lora_rank=lora(layer),
    )


@register(L.Conv1DTranspose, L.Conv2DTranspose, L.Conv3DTranspose)
def _conv_transpose(layer: Any) -> Breakdown:
    shape = input_shape(layer)
    return F.conv_transpose(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        channels(layer, shape),
        use_bias=layer.use_bias,
    )


@register(L.DepthwiseConv1D, L.DepthwiseConv2D)
def _depthwise(layer: Any) -> Breakdown:
    shape = input_shape(layer)
    return F.depthwise_conv(
        layer.rank,
        layer.kernel_size,
        channels(layer, shape),
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )


@register(L.SeparableConv1D, L.SeparableConv2D)
def _separable(layer: Any) -> Breakdown:
    shape = input_shape(layer)
    return F.separable_conv(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        channels(layer, shape),
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )
