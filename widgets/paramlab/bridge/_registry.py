"""Which formula explains which Keras layer: a registry keyed by class, looked up along the MRO.

An adapter reads a built layer's arguments and the input shape Keras built it with, and calls
the pure formula (`paramlab.core.formulas`). It never reads the weights themselves: `explain`
compares the formula's terms with the weights afterwards.

How the registry gets filled: each module of `paramlab.bridge._adapters` (named after the
`paramlab.core.formulas` module it reads into) decorates its adapters with `@register(SomeLayer)`,
so importing `paramlab.bridge._adapters` registers every adapter. The classes with no parameters are
registered from the table in `paramlab.bridge._coverage`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from paramlab.core.terms import Breakdown

Adapter = Callable[[Any], Breakdown]


class NoFormula(Exception):
    """The layer's class is known but this configuration has no formula (say why)."""


_ADAPTERS: dict[type, Adapter] = {}


def register(*classes: type) -> Callable[[Adapter], Adapter]:
    """Decorator: `adapter` explains layers of `classes` and of their subclasses."""

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
