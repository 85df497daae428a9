"""Conv1DExplorer and Conv2DExplorer: the kernel spans every input channel."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from paramlab import formulas as F
from paramlab.explorers._base import Explorer, Reading, checkbox, dropdown, int_slider
from paramlab.shapes import conv_output_length

MAX_STRIDES = 8
MAX_DILATION = 8
MAX_KERNEL = 64


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
        self._initial = dict(
            filters=filters,
            kernel_size=kernel_size,
            channels=channels,
            steps=steps,
            padding=padding,
            strides=strides,
            dilation_rate=dilation_rate,
            use_bias=use_bias,
        )
        super().__init__()

    def controls(self) -> dict[str, W.ValueWidget]:
        v = self._initial
        return {
            "filters": int_slider(v["filters"], 1, 256, "filters"),
            "kernel_size": int_slider(v["kernel_size"], 1, MAX_KERNEL, "kernel_size"),
            "channels": int_slider(v["channels"], 1, 256, "channels"),
            "steps": int_slider(v["steps"], 1, 256, "steps"),
            "padding": dropdown(v["padding"], ("valid", "same", "causal"), "padding"),
            "strides": int_slider(v["strides"], 1, MAX_STRIDES, "strides"),
            "dilation_rate": int_slider(v["dilation_rate"], 1, MAX_DILATION, "dilation_rate"),
            "use_bias": checkbox(v["use_bias"], "use_bias"),
        }

    def keep_valid(self) -> None:
        s = self.sliders
        with s["strides"].hold_sync(), s["dilation_rate"].hold_sync(), s["kernel_size"].hold_sync():
            # Keras refuses strides > 1 together with dilation_rate > 1.
            s["dilation_rate"].max = 1 if s["strides"].value > 1 else MAX_DILATION
            s["strides"].max = 1 if s["dilation_rate"].value > 1 else MAX_STRIDES
            # A 'valid' kernel must fit inside the input: (k - 1) * d + 1 <= steps.
            if s["padding"].value == "valid":
                fit = (s["steps"].value - 1) // s["dilation_rate"].value + 1
                s["kernel_size"].max = max(1, min(MAX_KERNEL, fit))
            else:
                s["kernel_size"].max = MAX_KERNEL

    def read(self, values: dict[str, Any]) -> Reading:
        f, k, c, n = values["filters"], values["kernel_size"], values["channels"], values["steps"]
        pad, s, d, bias = (
            values["padding"],
            values["strides"],
            values["dilation_rate"],
            values["use_bias"],
        )
        b = F.conv1d(f, k, c, use_bias=bias)
        out = conv_output_length(n, k, padding=pad, strides=s, dilation_rate=d)
        extra = [
            f"Output shape: (batch, {out.length}, {f});  steps out = {out.formula}",
            f"  {out.words}",
            f"The kernel spans all {c} channels: the input's {n} steps never enter the count.",
        ]
        if d > 1:
            extra.append(
                f"dilation_rate={d} spreads the {k} taps over (k - 1) * d + 1 = "
                f"{(k - 1) * d + 1} steps without adding weights."
            )
        extra.append("Keras' dilation_rate=1 means no gaps: what cs231n calls 'dilation 0'.")
        if s > 1:
            extra.append("dilation_rate stays 1 while strides > 1: Keras refuses both at once.")
        elif d > 1:
            extra.append("strides stays 1 while dilation_rate > 1: Keras refuses both at once.")
        return Reading(
            heading=(
                f"Conv1D(filters={f}, kernel_size={k}, padding='{pad}', strides={s}, "
                f"dilation_rate={d}, use_bias={bias}) on input (batch, {n}, {c})"
            ),
            breakdown=b,
            extra=tuple(extra),
            kind="Conv1D",
            config={
                "filters": f,
                "kernel_size": k,
                "padding": pad,
                "strides": s,
                "dilation_rate": d,
                "use_bias": bias,
            },
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
        self._initial = dict(
            filters=filters,
            kernel_size=kernel_size,
            channels=channels,
            height=height,
            width=width,
            padding=padding,
            strides=strides,
            use_bias=use_bias,
        )
        super().__init__()

    def controls(self) -> dict[str, W.ValueWidget]:
        v = self._initial
        return {
            "filters": int_slider(v["filters"], 1, 256, "filters"),
            "kernel_size": int_slider(v["kernel_size"], 1, 15, "kernel_size"),
            "channels": int_slider(v["channels"], 1, 256, "channels"),
            "height": int_slider(v["height"], 1, 256, "height"),
            "width": int_slider(v["width"], 1, 256, "width"),
            "padding": dropdown(v["padding"], ("valid", "same"), "padding"),
            "strides": int_slider(v["strides"], 1, MAX_STRIDES, "strides"),
            "use_bias": checkbox(v["use_bias"], "use_bias"),
        }

    def keep_valid(self) -> None:
        s = self.sliders
        with s["kernel_size"].hold_sync():
            if s["padding"].value == "valid":
                s["kernel_size"].max = max(1, min(15, s["height"].value, s["width"].value))
            else:
                s["kernel_size"].max = 15

    def read(self, values: dict[str, Any]) -> Reading:
        f, k, c = values["filters"], values["kernel_size"], values["channels"]
        h, w, pad, s, bias = (
            values["height"],
            values["width"],
            values["padding"],
            values["strides"],
            values["use_bias"],
        )
        b = F.conv2d(f, k, c, use_bias=bias)
        oh = conv_output_length(h, k, padding=pad, strides=s)
        ow = conv_output_length(w, k, padding=pad, strides=s)
        per_filter = k * k * c + (1 if bias else 0)
        extra = (
            f"Output shape: (batch, {oh.length}, {ow.length}, {f});  height out = {oh.formula}",
            f"  {oh.words}",
            f"Each filter is {k} x {k} x {c} weights{' + 1 bias' if bias else ''} = "
            f"{per_filter:,}; times {f} filters.",
            f"The image's {h} x {w} pixels never enter the count.",
        )
        return Reading(
            heading=(
                f"Conv2D(filters={f}, kernel_size=({k}, {k}), padding='{pad}', strides={s}, "
                f"use_bias={bias}) on input (batch, {h}, {w}, {c})"
            ),
            breakdown=b,
            extra=extra,
            kind="Conv2D",
            config={"filters": f, "kernel_size": k, "padding": pad, "strides": s, "use_bias": bias},
            input_shape=(None, h, w, c),
        )
