"""Which formula explains which Keras layer: a registry keyed by class, looked up along the MRO.

Each adapter reads a built layer's arguments and the input shape Keras built it with
(`layer.get_build_config()`), and calls the pure formula. It never reads the weights themselves:
`explain` compares the formula's terms with the weights afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from paramlab.terms import Breakdown

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
    return adapter_for_class(type(layer))


def adapter_for_class(layer_class: type) -> Adapter | None:
    for cls in layer_class.__mro__:
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


def input_shape(layer: Any) -> Any:
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
    dim = shape[-1]
    if dim is None:
        raise NoFormula(f"{what} of the input has no fixed size: {shape}")
    return dim


def lora(layer: Any) -> int | None:
    return layer.lora_rank if getattr(layer, "lora_enabled", False) else None


def not_quantized(layer: Any) -> None:
    mode = getattr(layer, "quantization_mode", None)
    if mode:
        raise NoFormula(
            f"quantized with mode {mode!r}: its weights are packed integers and scales, "
            "which paramlab does not model"
        )


def channels(layer: Any, shape: Sequence[int | None], *, time_axis: bool = False) -> int:
    axis = (
        -1
        if getattr(layer, "data_format", "channels_last") == "channels_last"
        else (2 if time_axis else 1)
    )
    dim = shape[axis]
    if dim is None:
        raise NoFormula(f"the channel axis of the input has no fixed size: {shape}")
    return dim
