"""Convolutions: Conv1D/2D/3D, their Transpose, SeparableConv and DepthwiseConv.

A convolution kernel spans every input channel (divided by `groups`): its count never depends
on the input's length, height or width, only on the window, the channels and the filters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.formulas._lora import with_lora
from paramlab.core.terms import Breakdown, Factor, Family, Term, term

_AXES = {1: ("kernel_size",), 2: ("kh", "kw"), 3: ("kd", "kh", "kw")}
_CONV = {1: Family.CONV1D, 2: Family.CONV2D, 3: Family.CONV3D}


def _rank(rank: int) -> int:
    r = _checks.integer("rank", rank)
    if r not in _AXES:
        raise ValueError(f"Convolutions in Keras are 1-, 2- or 3-D. Received: rank={rank!r}")
    return r


def _window(rank: int, kernel_size: int | Sequence[int]) -> tuple[tuple[int, ...], list[Factor]]:
    ks = _checks.int_tuple("kernel_size", kernel_size, rank)
    return ks, list(zip(_AXES[rank], ks, strict=True))


def _bias(n: int, symbol: str, use_bias: bool) -> tuple[Term, ...]:
    return (term("bias", (n,), [(symbol, n)]),) if _checks.flag("use_bias", use_bias) else ()


def _name(rank: int, family: str) -> str:
    return family.replace("{r}", str(rank))


def conv(
    rank: int,
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    groups: int = 1,
    use_bias: bool = True,
    lora_rank: int | None = None,
) -> Breakdown:
    """Conv1D/2D/3D: kernel (*kernel_size, channels / groups, filters) + bias (filters,)."""
    r = _rank(rank)
    f = _checks.positive("filters", filters)
    c = _checks.positive("channels", channels)
    g = _checks.positive("groups", groups)
    _checks.divides("groups", g, "filters", f)
    _checks.divides("groups", g, "input channels", c)
    ks, factors = _window(r, kernel_size)
    factors.append(("channels", c) if g == 1 else ("channels / groups", c // g))
    factors.append(("filters", f))
    kernel = term("kernel", (*ks, c // g, f), factors)
    terms = with_lora(kernel, lora_rank) + _bias(f, "filters", use_bias)
    notes = ()
    if g > 1:
        notes = (f"groups={g}: each filter sees only {c // g} of the {c} input channels",)
    return Breakdown(_name(r, "Conv{r}D"), terms, notes, family=_CONV[r])


def conv1d(
    filters: int,
    kernel_size: int,
    channels: int,
    *,
    groups: int = 1,
    use_bias: bool = True,
    lora_rank: int | None = None,
) -> Breakdown:
    """Conv1D on (batch, steps, channels): kernel_size * channels * filters + filters."""
    return conv(
        1, filters, kernel_size, channels, groups=groups, use_bias=use_bias, lora_rank=lora_rank
    )


def conv2d(
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    groups: int = 1,
    use_bias: bool = True,
    lora_rank: int | None = None,
) -> Breakdown:
    """Conv2D on (batch, height, width, channels): (kh * kw * channels + 1) * filters."""
    return conv(
        2, filters, kernel_size, channels, groups=groups, use_bias=use_bias, lora_rank=lora_rank
    )


def conv_transpose(
    rank: int,
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    use_bias: bool = True,
) -> Breakdown:
    """Conv1D/2D/3DTranspose: kernel (*kernel_size, filters, channels); note the swapped order."""
    r = _rank(rank)
    f = _checks.positive("filters", filters)
    c = _checks.positive("channels", channels)
    ks, factors = _window(r, kernel_size)
    kernel = term("kernel", (*ks, f, c), [*factors, ("filters", f), ("channels", c)])
    notes = (
        "a transposed kernel stores filters before channels: (*kernel_size, filters, channels)",
    )
    terms = (kernel, *_bias(f, "filters", use_bias))
    return Breakdown(_name(r, "Conv{r}DTranspose"), terms, notes, family=Family.CONV_TRANSPOSE)


def depthwise_conv(
    rank: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    depth_multiplier: int = 1,
    use_bias: bool = True,
) -> Breakdown:
    """DepthwiseConv1D/2D: one window per channel (times depth_multiplier), no mixing."""
    r = _rank(rank)
    if r == 3:
        raise ValueError(f"Keras has DepthwiseConv1D and DepthwiseConv2D only. Received: rank={r}")
    c = _checks.positive("channels", channels)
    m = _checks.positive("depth_multiplier", depth_multiplier)
    ks, factors = _window(r, kernel_size)
    kernel = term("kernel", (*ks, c, m), [*factors, ("channels", c), ("depth_multiplier", m)])
    bias = ()
    if _checks.flag("use_bias", use_bias):
        bias = (term("bias", (c * m,), [("channels", c), ("depth_multiplier", m)]),)
    return Breakdown(_name(r, "DepthwiseConv{r}D"), (kernel, *bias), family=Family.DEPTHWISE_CONV)


def separable_conv(
    rank: int,
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    depth_multiplier: int = 1,
    use_bias: bool = True,
) -> Breakdown:
    """SeparableConv1D/2D: a depthwise window per channel, then a 1x1 conv that mixes them."""
    r = _rank(rank)
    if r == 3:
        raise ValueError(f"Keras has SeparableConv1D and SeparableConv2D only. Received: rank={r}")
    f = _checks.positive("filters", filters)
    c = _checks.positive("channels", channels)
    m = _checks.positive("depth_multiplier", depth_multiplier)
    ks, factors = _window(r, kernel_size)
    depthwise = term(
        "depthwise_kernel", (*ks, c, m), [*factors, ("channels", c), ("depth_multiplier", m)]
    )
    pointwise = term(
        "pointwise_kernel",
        (*([1] * r), c * m, f),
        [("channels", c), ("depth_multiplier", m), ("filters", f)],
    )
    terms = (depthwise, pointwise, *_bias(f, "filters", use_bias))
    full = math.prod(ks) * c * f
    notes = (
        f"a full {_name(r, 'Conv{r}D')} with the same window would need {full:,} kernel weights",
    )
    return Breakdown(_name(r, "SeparableConv{r}D"), terms, notes, family=Family.SEPARABLE_CONV)
