"""Conv1DExplorer and Conv2DExplorer: the kernel spans every input channel."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from paramlab.core import formulas as F
from paramlab.core.shapes import conv_output_length
from paramlab.core.terms import counted, fmt
from paramlab.ui.explorers._base import Explorer, Reading
from paramlab.ui.explorers._controls import checkbox, dropdown, int_slider

MAX_FILTERS = 256
MAX_CHANNELS = 256
MAX_LENGTH = 256
MAX_STRIDES = 8
MAX_DILATION = 8
MAX_KERNEL = 64
MAX_KERNEL_2D = 15

STRIDES_LOCK = "strides is locked at 1 while dilation_rate > 1: Keras refuses both at once"
DILATION_LOCK = "dilation_rate is locked at 1 while strides > 1: Keras refuses both at once"
# Said after why kernel_size is at most the input here, for each explorer's other paddings.
LONGER_1D = " (with padding='same' or 'causal' it may be longer)"
LONGER_2D = " (with padding='same' it may be larger)"


def _keras_conv1d(**config: Any) -> Any:
    from keras import layers

    return layers.Conv1D(**config)


def _keras_conv2d(**config: Any) -> Any:
    from keras import layers

    return layers.Conv2D(**config)


class Conv1DExplorer(Explorer):
    """Conv1D on (batch, steps, channels): kernel (kernel_size, channels, filters)."""

    def __init__(
        self,
        filters: int = 32,
        kernel_size: int = 5,
        channels: int = 45,
        steps: int = 45,
        padding: str = "valid",
        strides: int = 1,
        dilation_rate: int = 1,
        use_bias: bool = True,
    ) -> None:
        super().__init__(
            controls={
                "filters": int_slider("filters", filters, MAX_FILTERS),
                "kernel_size": int_slider("kernel_size", kernel_size, MAX_KERNEL),
                "channels": int_slider("channels", channels, MAX_CHANNELS),
                "steps": int_slider("steps", steps, MAX_LENGTH),
                "padding": dropdown("padding", padding, ("valid", "same", "causal")),
                "strides": int_slider("strides", strides, MAX_STRIDES),
                "dilation_rate": int_slider("dilation_rate", dilation_rate, MAX_DILATION),
                "use_bias": checkbox("use_bias", use_bias),
            }
        )

    def keep_valid(self) -> Sequence[str]:
        c = self.controls
        # Keras refuses strides > 1 together with dilation_rate > 1: whichever is raised first
        # locks the other at 1 (a value set on a locked control goes back to 1).
        notes = [
            self.lock("dilation_rate", c["strides"].value > 1, DILATION_LOCK, at=1),
            self.lock("strides", c["dilation_rate"].value > 1, STRIDES_LOCK, at=1),
        ]
        # A 'valid' kernel must fit inside the input: (k - 1) * d + 1 <= steps.
        if c["padding"].value == "valid":
            n, d = c["steps"].value, c["dilation_rate"].value
            why = f"fit {fmt(n)} valid steps" + (f" at dilation_rate={d}" if d > 1 else "")
            reason = f"the input has {counted(n, 'step')} with padding='valid'" + (
                f", and at dilation_rate={d} a kernel spans (kernel_size - 1) * {d} + 1 of them"
                if d > 1
                else ""
            )
            limit = (n - 1) // d + 1
            notes.append(self.fit("kernel_size", limit, why, reason=reason + LONGER_1D))
        else:
            notes.append(self.fit("kernel_size", None, ""))
        return notes

    def read(
        self,
        *,
        filters: int,
        kernel_size: int,
        channels: int,
        steps: int,
        padding: str,
        strides: int,
        dilation_rate: int,
        use_bias: bool,
    ) -> Reading:
        f, k, c, n, s, d = filters, kernel_size, channels, steps, strides, dilation_rate
        b = F.conv1d(f, k, c, use_bias=use_bias)
        out = conv_output_length(n, k, padding=padding, strides=s, dilation_rate=d)
        extra = [
            f"Output shape: (batch, {out.length}, {f});  steps out = {out.formula}",
            f"  {out.words}",
            f"The kernel spans every input channel ({counted(c, 'channel')}): the input's "
            f"{counted(n, 'step')} never enter the count.",
        ]
        if d > 1:
            extra.append(
                f"dilation_rate={d} spreads the {k} taps over (k - 1) * d + 1 = "
                f"{fmt((k - 1) * d + 1)} steps without adding weights."
            )
        extra.append("Keras' dilation_rate=1 means no gaps: what cs231n calls 'dilation 0'.")
        return Reading(
            heading=(
                f"Conv1D(filters={f}, kernel_size={k}, padding='{padding}', strides={s}, "
                f"dilation_rate={d}, use_bias={use_bias}) on input (batch, {fmt(n)}, {fmt(c)})"
            ),
            breakdown=b,
            extra=tuple(extra),
            layer=partial(
                _keras_conv1d,
                filters=f,
                kernel_size=k,
                padding=padding,
                strides=s,
                dilation_rate=d,
                use_bias=use_bias,
            ),
            input_shape=(None, n, c),
        )


class Conv2DExplorer(Explorer):
    """Conv2D on (batch, height, width, channels): (kh * kw * channels + 1) * filters."""

    def __init__(
        self,
        filters: int = 32,
        kernel_size: int = 3,
        channels: int = 3,
        height: int = 32,
        width: int = 32,
        padding: str = "valid",
        strides: int = 1,
        use_bias: bool = True,
    ) -> None:
        super().__init__(
            controls={
                "filters": int_slider("filters", filters, MAX_FILTERS),
                "kernel_size": int_slider("kernel_size", kernel_size, MAX_KERNEL_2D),
                "channels": int_slider("channels", channels, MAX_CHANNELS),
                "height": int_slider("height", height, MAX_LENGTH),
                "width": int_slider("width", width, MAX_LENGTH),
                "padding": dropdown("padding", padding, ("valid", "same")),
                "strides": int_slider("strides", strides, MAX_STRIDES),
                "use_bias": checkbox("use_bias", use_bias),
            }
        )

    def keep_valid(self) -> Sequence[str]:
        c = self.controls
        if c["padding"].value != "valid":
            return [self.fit("kernel_size", None, "")]
        h, w = c["height"].value, c["width"].value
        why = f"fit the {fmt(h)} x {fmt(w)} valid input"
        reason = f"the input is {fmt(h)} x {fmt(w)} with padding='valid'{LONGER_2D}"
        return [self.fit("kernel_size", min(h, w), why, reason=reason)]

    def read(
        self,
        *,
        filters: int,
        kernel_size: int,
        channels: int,
        height: int,
        width: int,
        padding: str,
        strides: int,
        use_bias: bool,
    ) -> Reading:
        f, k, c, h, w, s = filters, kernel_size, channels, height, width, strides
        b = F.conv2d(f, k, c, use_bias=use_bias)
        oh = conv_output_length(h, k, padding=padding, strides=s)
        ow = conv_output_length(w, k, padding=padding, strides=s)
        per_filter = k * k * c + (1 if use_bias else 0)
        extra = (
            f"Output shape: (batch, {oh.length}, {ow.length}, {f});  height out = {oh.formula}",
            f"  {oh.words}",
            f"Each filter is {k} x {k} x {fmt(c)} weights{' + 1 bias' if use_bias else ''} = "
            f"{fmt(per_filter)}; times {counted(f, 'filter')}.",
            f"The image's {fmt(h)} x {fmt(w)} pixels never enter the count.",
        )
        return Reading(
            heading=(
                f"Conv2D(filters={f}, kernel_size=({k}, {k}), padding='{padding}', strides={s}, "
                f"use_bias={use_bias}) on input (batch, {fmt(h)}, {fmt(w)}, {fmt(c)})"
            ),
            breakdown=b,
            extra=extra,
            layer=partial(
                _keras_conv2d,
                filters=f,
                kernel_size=k,
                padding=padding,
                strides=s,
                use_bias=use_bias,
            ),
            input_shape=(None, h, w, c),
        )
