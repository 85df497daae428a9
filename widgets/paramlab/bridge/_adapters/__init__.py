"""Adapters from built Keras layers to the pure formulas, one module per `paramlab.core.formulas`
module of the same name. Importing this package registers them all (`@register` in each)."""

from __future__ import annotations

from paramlab.bridge._adapters import (
    attention,
    conv,
    dense,
    misc,
    normalization,
    recurrent,
    wrappers,
)

__all__ = ["attention", "conv", "dense", "misc", "normalization", "recurrent", "wrappers"]
