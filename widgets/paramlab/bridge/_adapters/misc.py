"""Adapters for `paramlab.core.formulas.misc` (PReLU, STFTSpectrogram, ConvNeXt's LayerScale), the
other layers defined inside keras.applications, and every layer with no parameters (the table
in `paramlab.bridge._coverage`)."""

from __future__ import annotations

from typing import Any

import keras
from keras import layers as L

from paramlab.bridge._adapters._read import input_shape
from paramlab.bridge._coverage import PARAMETER_FREE
from paramlab.bridge._registry import NoFormula, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown, no_parameters


@register(L.PReLU)
def _prelu(layer: Any) -> Breakdown:
    shape = input_shape(layer)
    if any(d is None for d in shape[1:]):
        raise NoFormula(f"PReLU needs every non-batch axis fixed; the input is {shape}")
    return F.prelu(shape[1:], shared_axes=layer.shared_axes)


@register(L.STFTSpectrogram)
def _stft(layer: Any) -> Breakdown:
    return F.stft_spectrogram(layer.frame_length, fft_length=layer.fft_length, mode=layer.mode)


def _register_applications() -> None:
    """Layers defined inside keras.applications (not exported under keras.layers)."""
    from keras.src.applications import convnext, inception_resnet_v2

    register(convnext.LayerScale)(lambda layer: F.layer_scale(layer.projection_dim))
    register(convnext.StochasticDepth)(
        lambda layer: no_parameters("StochasticDepth", "randomly skips a residual branch")
    )
    register(inception_resnet_v2.CustomScaleLayer)(
        lambda layer: no_parameters(
            "CustomScaleLayer", f"adds a residual scaled by the constant {layer.scale}"
        )
    )


def _register_parameter_free() -> None:
    """One adapter per reason in PARAMETER_FREE, registered for each class it names."""
    for why, names in PARAMETER_FREE.items():
        classes = [getattr(keras.layers, name, None) for name in names]

        def adapter(layer: Any, why: str = why) -> Breakdown:
            return no_parameters(type(layer).__name__, why)

        # a class this Keras version does not have is skipped
        register(*(cls for cls in classes if cls is not None))(adapter)


_register_applications()
_register_parameter_free()
