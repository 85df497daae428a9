"""Adapters for `paramlab.core.formulas.conv`: Conv1D/2D/3D, their transposes, the depthwise and
separable convolutions."""

from __future__ import annotations

from typing import Any

from keras import layers as L

from paramlab.bridge._adapters._read import channels, input_shape, lora, not_quantized
from paramlab.bridge._registry import register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown


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
