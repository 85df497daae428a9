"""Which formula explains which Keras layer: a registry keyed by class, looked up along the MRO.

Each adapter reads a built layer's arguments and the input shape Keras built it with
(`layer.get_build_config()`), and calls the pure formula. It never reads the weights themselves:
`explain` compares the formula's terms with the weights afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import keras
from keras import layers as L

from paramlab import formulas as F
from paramlab.terms import Breakdown, no_parameters

Adapter = Callable[[Any], Breakdown]


class NoFormula(Exception):
    """The layer's class is known but this configuration has no formula (say why)."""


_ADAPTERS: dict[type, Adapter] = {}


def register(*classes: type) -> Callable[[Adapter], Adapter]:
    def wrap(adapter: Adapter) -> Adapter:
        for cls in classes:
            _ADAPTERS[cls] = adapter
        return adapter

    return wrap


def adapter_for(layer: Any) -> Adapter | None:
    """The adapter of the nearest registered class in `type(layer).__mro__`, if any."""
    for cls in type(layer).__mro__:
        if cls in _ADAPTERS:
            return _ADAPTERS[cls]
    return None


def breakdown_of(layer: Any) -> Breakdown | None:
    """The formula's breakdown for a built layer; None when no class in its MRO has one."""
    adapter = adapter_for(layer)
    return None if adapter is None else adapter(layer)


def registered_classes() -> tuple[type, ...]:
    return tuple(_ADAPTERS)


# --- helpers ---------------------------------------------------------------------------------


def _shape(layer: Any) -> Any:
    config = layer.get_build_config() or {}
    if "input_shape" in config:
        return _plain(config["input_shape"])
    if "shapes_dict" in config:
        return {k: _plain(v) for k, v in config["shapes_dict"].items()}
    raise NoFormula("Keras did not record the input shape this layer was built with")


def _plain(shape: Any) -> Any:
    """TensorShape / nested lists -> tuples of ints and None."""
    if shape is None:
        return None
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return [_plain(s) for s in shape]
    return tuple(None if d is None else int(d) for d in shape)


def _last(shape: Sequence[int | None], what: str = "the last axis") -> int:
    dim = shape[-1]
    if dim is None:
        raise NoFormula(f"{what} of the input has no fixed size: {shape}")
    return dim


def _lora(layer: Any) -> int | None:
    return layer.lora_rank if getattr(layer, "lora_enabled", False) else None


def _not_quantized(layer: Any) -> None:
    mode = getattr(layer, "quantization_mode", None)
    if mode:
        raise NoFormula(
            f"quantized with mode {mode!r}: its weights are packed integers and scales, "
            "which paramlab does not model"
        )


def _channels(layer: Any, shape: Sequence[int | None], *, time_axis: bool = False) -> int:
    axis = (
        -1
        if getattr(layer, "data_format", "channels_last") == "channels_last"
        else (2 if time_axis else 1)
    )
    dim = shape[axis]
    if dim is None:
        raise NoFormula(f"the channel axis of the input has no fixed size: {shape}")
    return dim


# --- core -------------------------------------------------------------------------------------


@register(L.Dense)
def _dense(layer: Any) -> Breakdown:
    _not_quantized(layer)
    shape = _shape(layer)
    b = F.dense(layer.units, _last(shape), use_bias=layer.use_bias, lora_rank=_lora(layer))
    if len(shape) > 2:
        note = (
            f"input {shape} has {len(shape)} axes: Dense acts on the last one only "
            f"({shape[-1]}), with the same kernel at every other position"
        )
        return Breakdown(b.layer, b.terms, (*b.notes, note))
    return b


@register(L.EinsumDense)
def _einsum_dense(layer: Any) -> Breakdown:
    _not_quantized(layer)
    return F.einsum_dense(
        layer.equation,
        layer.partial_output_shape,
        _shape(layer),
        bias_axes=layer.bias_axes,
        lora_rank=_lora(layer),
    )


@register(L.Embedding)
def _embedding(layer: Any) -> Breakdown:
    _not_quantized(layer)
    return F.embedding(layer.input_dim, layer.output_dim, lora_rank=_lora(layer))


@register(L.ReversibleEmbedding)
def _reversible_embedding(layer: Any) -> Breakdown:
    _not_quantized(layer)
    if _lora(layer):
        raise NoFormula("LoRA on a ReversibleEmbedding is not modelled")
    return F.reversible_embedding(layer.input_dim, layer.output_dim, tie_weights=layer.tie_weights)


# --- convolution ----------------------------------------------------------------------------


@register(L.Conv1D, L.Conv2D, L.Conv3D)
def _conv(layer: Any) -> Breakdown:
    _not_quantized(layer)
    shape = _shape(layer)
    return F.conv(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        _channels(layer, shape),
        groups=layer.groups,
        use_bias=layer.use_bias,
        lora_rank=_lora(layer),
    )


@register(L.Conv1DTranspose, L.Conv2DTranspose, L.Conv3DTranspose)
def _conv_transpose(layer: Any) -> Breakdown:
    shape = _shape(layer)
    return F.conv_transpose(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        _channels(layer, shape),
        use_bias=layer.use_bias,
    )


@register(L.DepthwiseConv1D, L.DepthwiseConv2D)
def _depthwise(layer: Any) -> Breakdown:
    shape = _shape(layer)
    return F.depthwise_conv(
        layer.rank,
        layer.kernel_size,
        _channels(layer, shape),
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )


@register(L.SeparableConv1D, L.SeparableConv2D)
def _separable(layer: Any) -> Breakdown:
    shape = _shape(layer)
    return F.separable_conv(
        layer.rank,
        layer.filters,
        layer.kernel_size,
        _channels(layer, shape),
        depth_multiplier=layer.depth_multiplier,
        use_bias=layer.use_bias,
    )


# --- recurrent ------------------------------------------------------------------------------


def _cell(cell: Any, input_dim: int) -> Breakdown:
    if isinstance(cell, L.LSTMCell):
        return F.lstm(cell.units, input_dim, use_bias=cell.use_bias)
    if isinstance(cell, L.GRUCell):
        return F.gru(cell.units, input_dim, use_bias=cell.use_bias, reset_after=cell.reset_after)
    if isinstance(cell, L.SimpleRNNCell):
        return F.simple_rnn(cell.units, input_dim, use_bias=cell.use_bias)
    if isinstance(cell, L.StackedRNNCells):
        parts = []
        for inner in cell.cells:
            parts.append(_cell(inner, input_dim))
            input_dim = inner.units if hasattr(inner, "units") else _cell_output(inner)
        return F.stacked_cells(parts)
    raise NoFormula(f"no formula for a {type(cell).__name__} cell")


def _cell_output(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if isinstance(size, int):
        return size
    raise NoFormula(f"cannot tell the output size of a {type(cell).__name__} cell")


@register(L.RNN)
def _rnn(layer: Any) -> Breakdown:
    b = _cell(layer.cell, _last(_shape(layer)))
    name = type(layer).__name__
    return b if b.layer == name else Breakdown(f"{name}({b.layer})", b.terms, b.notes)


@register(L.SimpleRNNCell, L.LSTMCell, L.GRUCell, L.StackedRNNCells)
def _cell_layer(layer: Any) -> Breakdown:
    return _cell(layer, _last(_shape(layer)))


@register(L.ConvLSTM1D, L.ConvLSTM2D, L.ConvLSTM3D)
def _conv_lstm(layer: Any) -> Breakdown:
    cell = layer.cell
    shape = _shape(layer)
    return F.conv_lstm(
        cell.rank,
        cell.filters,
        cell.kernel_size,
        _channels(layer, shape, time_axis=True),
        use_bias=cell.use_bias,
    )


# --- wrappers -------------------------------------------------------------------------------


def _inner(layer: Any) -> Breakdown:
    inner = breakdown_of(layer)
    if inner is None:
        raise NoFormula(f"no formula for the wrapped {type(layer).__name__}")
    return inner


@register(L.Bidirectional)
def _bidirectional(layer: Any) -> Breakdown:
    return F.bidirectional(_inner(layer.forward_layer), _inner(layer.backward_layer))


@register(L.TimeDistributed)
def _time_distributed(layer: Any) -> Breakdown:
    return F.time_distributed(_inner(layer.layer))


@register(L.SpectralNormalization)
def _spectral(layer: Any) -> Breakdown:
    return F.spectral_normalization(_inner(layer.layer))


# --- normalization --------------------------------------------------------------------------


def _axes(layer: Any, shape: Sequence[int | None]) -> tuple[int, ...]:
    axes = layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
    dims = tuple(shape[a] for a in axes)
    if any(d is None for d in dims):
        raise NoFormula(f"a normalized axis of the input has no fixed size: {shape}")
    return dims  # type: ignore[return-value]


@register(L.BatchNormalization)
def _batch_norm(layer: Any) -> Breakdown:
    (features,) = _axes(layer, _shape(layer))
    return F.batch_normalization(features, center=layer.center, scale=layer.scale)


@register(L.LayerNormalization)
def _layer_norm(layer: Any) -> Breakdown:
    dims = _axes(layer, _shape(layer))
    rms = bool(getattr(layer, "rms_scaling", False))
    return F.layer_normalization(dims, center=layer.center and not rms, scale=layer.scale or rms)


@register(L.RMSNormalization)
def _rms_norm(layer: Any) -> Breakdown:
    return F.rms_normalization(_axes(layer, _shape(layer)))


@register(L.GroupNormalization)
def _group_norm(layer: Any) -> Breakdown:
    (channels,) = _axes(layer, _shape(layer))
    return F.group_normalization(layer.groups, channels, center=layer.center, scale=layer.scale)


@register(L.UnitNormalization)
def _unit_norm(layer: Any) -> Breakdown:
    return F.unit_normalization()


@register(L.Normalization)
def _normalization(layer: Any) -> Breakdown:
    if layer.input_mean is not None:
        return F.normalization(1, given=True)
    shape = _shape(layer)
    axes = (
        ()
        if layer.axis is None
        else (layer.axis if isinstance(layer.axis, (list, tuple)) else (layer.axis,))
    )
    keep = sorted(a % len(shape) for a in axes)
    return F.normalization(tuple(shape[a] for a in keep))


# --- attention ------------------------------------------------------------------------------


def _qkv(layer: Any) -> tuple[int, int, int]:
    shapes = _shape(layer)
    if not isinstance(shapes, dict):
        raise NoFormula("the attention layer was not built with query and value shapes")
    query, value = shapes["query_shape"], shapes["value_shape"]
    key = shapes.get("key_shape") or value
    return _last(query, "query"), _last(value, "value"), _last(key, "key")


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
    shapes = _shape(layer)
    return F.additive_attention(_last(shapes[0], "query"), use_scale=layer.use_scale)


# --- the rest -------------------------------------------------------------------------------


@register(L.PReLU)
def _prelu(layer: Any) -> Breakdown:
    shape = _shape(layer)
    if any(d is None for d in shape[1:]):
        raise NoFormula(f"PReLU needs every non-batch axis fixed; the input is {shape}")
    return F.prelu(shape[1:], shared_axes=layer.shared_axes)


@register(L.STFTSpectrogram)
def _stft(layer: Any) -> Breakdown:
    return F.stft_spectrogram(layer.frame_length, fft_length=layer.fft_length, mode=layer.mode)


def _register_applications() -> None:
    """Layers defined inside keras.applications (not exported under keras.layers)."""
    from keras.src.applications import convnext

    register(convnext.LayerScale)(lambda layer: F.layer_scale(layer.projection_dim))


_register_applications()


PARAMETER_FREE: dict[str, tuple[str, ...]] = {
    "reads the input: no weights": ("InputLayer",),
    "pooling summarizes windows: no weights": (
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
    "drops or perturbs values during training: no weights": (
        "Dropout",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "GaussianDropout",
        "GaussianNoise",
        "AlphaDropout",
        "ActivityRegularization",
    ),
    "moves values around without learning: no weights": (
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
    "a fixed activation function: no weights": (
        "Activation",
        "ELU",
        "LeakyReLU",
        "ReLU",
        "Softmax",
    ),
    "merges inputs element-wise or by concatenation: no weights": (
        "Add",
        "Average",
        "Concatenate",
        "Dot",
        "Maximum",
        "Minimum",
        "Multiply",
        "Subtract",
    ),
    "runs a Python function: no weights of its own": ("Lambda",),
    "preprocessing or augmentation: state, if any, is not a Keras weight": (
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
