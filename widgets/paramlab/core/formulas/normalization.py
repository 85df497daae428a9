"""Normalization layers: BatchNormalization, LayerNormalization, RMSNormalization,
GroupNormalization, UnitNormalization and the Normalization preprocessing layer.

All of them keep one number per feature on the normalized axis (or axes), never per example.
BatchNormalization is the odd one: besides the learned `gamma` and `beta` it keeps running
averages (`moving_mean`, `moving_variance`) that training updates without gradients, so Keras
counts them as non-trainable parameters. PyTorch's BatchNorm keeps them as buffers and does not
count them: 2 * channels in PyTorch against 4 * channels in Keras.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.terms import Breakdown, Family, Term, no_parameters, term


def _features(value: int | Sequence[int], name: str = "features") -> tuple[int, ...]:
    if isinstance(value, (tuple, list)):
        if not value:
            raise ValueError(f"`{name}` must name at least one axis size. Received: {name}=()")
        return tuple(_checks.positive(name, v) for v in value)
    return (_checks.positive(name, value),)


def _per_feature(
    name: str, shape: tuple[int, ...], *, trainable: bool = True, note: str = ""
) -> Term:
    symbols = ["features"] if len(shape) == 1 else [f"axis_{i}" for i in range(len(shape))]
    return term(name, shape, zip(symbols, shape, strict=True), trainable=trainable, note=note)


def batch_normalization(features: int, *, center: bool = True, scale: bool = True) -> Breakdown:
    """BatchNormalization: gamma and beta (trainable) + moving_mean and moving_variance (not)."""
    f = _features(features)
    terms = []
    if _checks.flag("scale", scale):
        terms.append(_per_feature("gamma", f))
    if _checks.flag("center", center):
        terms.append(_per_feature("beta", f))
    moving = "updated during training as a running average, not by gradients"
    terms.append(_per_feature("moving_mean", f, trainable=False, note=moving))
    terms.append(_per_feature("moving_variance", f, trainable=False, note=moving))
    notes = (
        f"PyTorch's BatchNorm counts only gamma and beta ({2 * math.prod(f):,} here): "
        "it keeps the running statistics as buffers, not parameters",
    )
    return Breakdown("BatchNormalization", tuple(terms), notes, family=Family.BATCH_NORM)


def layer_normalization(
    features: int | Sequence[int], *, center: bool = True, scale: bool = True
) -> Breakdown:
    """LayerNormalization: gamma and beta over the normalized axes; no running statistics."""
    f = _features(features)
    terms = []
    if _checks.flag("scale", scale):
        terms.append(_per_feature("gamma", f))
    if _checks.flag("center", center):
        terms.append(_per_feature("beta", f))
    return Breakdown("LayerNormalization", tuple(terms), family=Family.LAYER_NORM)


def rms_normalization(features: int | Sequence[int]) -> Breakdown:
    """RMSNormalization: one learned scale per feature, no shift."""
    scale = _per_feature("scale", _features(features))
    return Breakdown("RMSNormalization", (scale,), family=Family.RMS_NORM)


def group_normalization(
    groups: int, channels: int, *, center: bool = True, scale: bool = True
) -> Breakdown:
    """GroupNormalization: gamma and beta per channel, whatever the number of groups.

    `groups=-1` puts every channel in its own group (instance normalization).
    """
    c = _checks.positive("channels", channels)
    g = _checks.integer("groups", groups)
    g = c if g == -1 else _checks.positive("groups", g)
    if g > c or c % g:
        raise ValueError(
            "The number of groups must divide the number of channels. "
            f"Received: groups={g}, channels={c}"
        )
    terms = []
    if _checks.flag("scale", scale):
        terms.append(_per_feature("gamma", (c,)))
    if _checks.flag("center", center):
        terms.append(_per_feature("beta", (c,)))
    notes = (f"{g} groups of {c // g} channels: the groups change the statistics, not the count",)
    return Breakdown("GroupNormalization", tuple(terms), notes, family=Family.GROUP_NORM)


def unit_normalization() -> Breakdown:
    """UnitNormalization: divides by the L2 norm; nothing to learn."""
    why = "divides each vector by its L2 norm: no weights"
    return no_parameters("UnitNormalization", why, Family.UNIT_NORM)


def normalization(features: int | Sequence[int], *, given: bool = False) -> Breakdown:
    """The Normalization preprocessing layer: mean, variance and count, all non-trainable.

    `adapt()` fills them from data. When `mean` and `variance` are passed to the constructor
    (`given=True`) they are constants, not weights, and the layer has no parameters.
    """
    if _checks.flag("given", given):
        why = "mean and variance were given as constants: no weights"
        return no_parameters("Normalization", why, Family.NORMALIZATION)
    f = _features(features)
    adapted = "computed by adapt(), never by gradients"
    terms = (
        _per_feature("mean", f, trainable=False, note=adapted),
        _per_feature("variance", f, trainable=False, note=adapted),
        term("count", (), [], trainable=False, note="how many samples adapt() has seen"),
    )
    return Breakdown("Normalization", terms, family=Family.NORMALIZATION)
