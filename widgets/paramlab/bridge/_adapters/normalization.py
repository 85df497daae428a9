"""Adapters for `paramlab.core.formulas.normalization`: Batch, Layer, RMS, Group, Unit normalization
and Normalization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from keras import layers as L

from paramlab.bridge._adapters._read import input_shape
from paramlab.bridge._registry import NoFormula, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown


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
