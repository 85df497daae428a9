"""Adapters from built Keras layers to the pure formulas; importing this registers them all."""

from __future__ import annotations

from paramlab._adapters import core, misc, other, recurrent

__all__ = ["core", "misc", "other", "recurrent"]
