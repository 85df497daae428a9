"""BatchNorm's conventions that differ between Keras and torch besides the counts.

Momentum: Keras keeps `momentum` of the old average, torch mixes in `momentum` of the new batch
(`keras_momentum_to_torch`, `torch_momentum_to_keras`); epsilon: 1e-3 against 1e-5; and the
batch variance fed to the running average: torch unbiased, divided by n - 1; Keras biased,
divided by n.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any

KERAS_BATCHNORM_EPSILON = 1e-3
"""`keras.layers.BatchNormalization(epsilon=1e-3)`: the default."""
TORCH_BATCHNORM_EPSILON = 1e-5
"""`torch.nn.BatchNorm2d(eps=1e-5)`: the default, 100 times smaller than Keras'."""
KERAS_BATCHNORM_MOMENTUM = 0.99
"""Keras' default: keep 99% of the moving average, take 1% of each batch."""
TORCH_BATCHNORM_MOMENTUM = 0.1
"""torch's default: take 10% of each batch, which is Keras' `momentum=0.9`, not its default."""


def _complement(name: str, value: Any, *, none_means: str = "") -> float:
    if value is None and none_means:
        raise ValueError(none_means + f" Received: {name}=None")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"The argument `{name}` must be a number between 0 and 1. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    if not 0 <= value <= 1:  # NaN fails this too
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a number between 0 and 1. "
            f"Received: {name}={value!r}"
        )
    # The shortest decimal that reads back as `value` (0.99), complemented exactly: 1 - 0.99 in
    # floats is 0.010000000000000009, the decimal complement is 0.01.
    exact = Fraction(value) if isinstance(value, numbers.Rational) else Fraction(repr(float(value)))
    return float(1 - exact)


def keras_momentum_to_torch(momentum: float) -> float:
    """Keras `momentum` -> torch `momentum`: `1 - momentum`, so 0.99 -> 0.01 and 0.9 -> 0.1.

    Keras:  moving  = momentum * moving + (1 - momentum) * batch
    torch:  running = (1 - momentum) * running + momentum * batch

    The complement is taken of the decimal the float stands for (its shortest `repr`), so the
    result is the float a person would type (0.01, not 1 - 0.99 = 0.010000000000000009). The
    round trip back is exact for decimals of up to 15 significant digits.
    """
    return _complement("momentum", momentum)


def torch_momentum_to_keras(momentum: float) -> float:
    """torch `momentum` -> Keras `momentum`: `1 - momentum` (0.1 -> 0.9, 0.01 -> 0.99).

    torch's `momentum=None` (a cumulative average, each batch weighted 1 / num_batches_tracked)
    has no Keras equivalent and raises ValueError.
    """
    why = (
        "torch's momentum=None keeps a cumulative average (batch t weighted 1 / t); "
        "Keras' BatchNormalization has no such setting."
    )
    return _complement("momentum", momentum, none_means=why)
