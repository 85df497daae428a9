"""Adapters for PReLU, STFTSpectrogram, keras.applications' own layers, and every
layer that has no parameters."""

from __future__ import annotations

from typing import Any

import keras
from keras import layers as L

from paramlab import formulas as F
from paramlab._registry import (
    NoFormula,
    input_shape,
    register,
)
from paramlab.terms import Breakdown, no_parameters

# --- the rest -------------------------------------------------------------------------------


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


_register_applications()


PARAMETER_FREE: dict[str, tuple[str, ...]] = {
    "an Input: it holds no weights": ("InputLayer",),
    "pooling takes a max or mean over windows": (
        "AveragePooling1D",
        "AveragePooling2D",
        "AveragePooling3D",
        "MaxPooling1D",
        "MaxPooling2D",
        "MaxPooling3D",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
        "GlobalMaxPooling1D",
        "GlobalMaxPooling2D",
        "GlobalMaxPooling3D",
        "AdaptiveAveragePooling1D",
        "AdaptiveAveragePooling2D",
        "AdaptiveAveragePooling3D",
        "AdaptiveMaxPooling1D",
        "AdaptiveMaxPooling2D",
        "AdaptiveMaxPooling3D",
    ),
    "drops or perturbs values during training only": (
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianDropout",
        "GaussianNoise",
        "AlphaDropout",
        "ActivityRegularization",
    ),
    "reshapes, pads, crops or repeats values": (
        "Flatten",
        "Reshape",
        "Permute",
        "RepeatVector",
        "Identity",
        "Masking",
        "Cropping1D",
        "Cropping2D",
        "Cropping3D",
        "ZeroPadding1D",
        "ZeroPadding2D",
        "ZeroPadding3D",
        "UpSampling1D",
        "UpSampling2D",
        "UpSampling3D",
    ),
    "a fixed activation function": (
        "Activation",
        "ELU",
        "LeakyReLU",
        "ReLU",
        "Softmax",
    ),
    "merges its inputs element-wise or by concatenation": (
        "Add",
        "Average",
        "Concatenate",
        "Dot",
        "Maximum",
        "Minimum",
        "Multiply",
        "Subtract",
    ),
    "runs a Python function; any state it uses is not its weight": ("Lambda",),
    "preprocessing or augmentation; its state, if any, is not a Keras weight": (
        "AugMix",
        "AutoContrast",
        "CategoryEncoding",
        "CenterCrop",
        "ContrastLimitedAdaptiveHistogramEqualization",
        "CutMix",
        "Discretization",
        "Equalization",
        "HashedCrossing",
        "Hashing",
        "IntegerLookup",
        "MaxNumBoundingBoxes",
        "MelSpectrogram",
        "MixUp",
        "RandAugment",
        "RandomBrightness",
        "RandomColorDegeneration",
        "RandomColorJitter",
        "RandomContrast",
        "RandomCrop",
        "RandomElasticTransform",
        "RandomErasing",
        "RandomFlip",
        "RandomGaussianBlur",
        "RandomGrayscale",
        "RandomHue",
        "RandomInvert",
        "RandomPerspective",
        "RandomPosterization",
        "RandomRotation",
        "RandomSaturation",
        "RandomSharpness",
        "RandomShear",
        "RandomTranslation",
        "RandomZoom",
        "Rescaling",
        "Resizing",
        "Solarization",
        "StringLookup",
        "TextVectorization",
    ),
}


def _register_parameter_free() -> None:
    for why, names in PARAMETER_FREE.items():
        for name in names:
            cls = getattr(keras.layers, name, None)
            if cls is None:  # a class this Keras version does not have
                continue

            def adapter(layer: Any, why: str = why) -> Breakdown:
                return no_parameters(type(layer).__name__, why)

            register(cls)(adapter)


_register_parameter_free()

NOT_COVERED: dict[str, str] = {
    "Layer": "the base class: a custom layer is explained through its sub-layers, or not at all",
    "Wrapper": "abstract base of Bidirectional-like wrappers; concrete wrappers are covered",
    "Pipeline": "a chain of other layers: explained through the layers it holds",
    "TFSMLayer": "wraps a TensorFlow SavedModel whose variables Keras does not build",
    "TorchModuleWrapper": "wraps a PyTorch module (torch backend only)",
    "JaxLayer": "wraps a JAX function and its parameters (jax backend only)",
    "FlaxLayer": "wraps a Flax module (jax backend only)",
}
