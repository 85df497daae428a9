"""Adapters for `paramlab.core.formulas.wrappers`: Bidirectional, TimeDistributed and
SpectralNormalization, around any layer that has an adapter itself."""

from __future__ import annotations

from typing import Any

from keras import layers as L

from paramlab.bridge._registry import NoFormula, breakdown_of, register
from paramlab.core import formulas as F
from paramlab.core.terms import Breakdown


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
