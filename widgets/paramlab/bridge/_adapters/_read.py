"""Reading a built Keras layer for its adapter: the input shape it was built with, its channel
axis, LoRA rank and quantization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paramlab.bridge._registry import NoFormula


def input_shape(layer: Any) -> Any:
    """The input shape Keras recorded at build time (`layer.get_build_config()`): a tuple, a
    list of tuples for several inputs, or a dict of them (`query_shape`, ...)."""
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


def last(shape: Sequence[int | None], what: str = "the last axis") -> int:
    """The size of the last axis, which must be fixed."""
    dim = shape[-1]
    if dim is None:
        raise NoFormula(f"{what} of the input has no fixed size: {shape}")
    return dim


def channels(layer: Any, shape: Sequence[int | None], *, time_axis: bool = False) -> int:
    """The size of the channel axis, by the layer's `data_format` (after the time axis, if any)."""
    axis = (
        -1
        if getattr(layer, "data_format", "channels_last") == "channels_last"
        else (2 if time_axis else 1)
    )
    dim = shape[axis]
    if dim is None:
        raise NoFormula(f"the channel axis of the input has no fixed size: {shape}")
    return dim


def lora(layer: Any) -> int | None:
    """The LoRA rank after `layer.enable_lora(rank)`, else None."""
    return layer.lora_rank if getattr(layer, "lora_enabled", False) else None


def not_quantized(layer: Any) -> None:
    """Refuse a quantized layer: its weights are a storage format, not a lesson."""
    mode = getattr(layer, "quantization_mode", None)
    if mode:
        raise NoFormula(
            f"quantized with mode {mode!r}: its weights are packed integers and scales, "
            "which paramlab does not model"
        )
