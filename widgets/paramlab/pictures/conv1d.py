"""Conv1DPicture: a (kernel_size x channels) window sliding along a (steps x channels) input."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from paramlab.pictures._canvas import BLUE, GREY, LIGHT, ORANGE, SKY, Picture, new_figure
from paramlab.shapes import conv_output_length, padding_amount

MAX_STEPS = 64
MAX_CHANNELS = 32


class Conv1DPicture(Picture):
    """Input drawn as steps (across) by channels (up); padding cells hatched; the kernel's taps
    span every channel; the output sequence fills in position by position below.

    `position` (the output step shown) is the only thing that moves on the hot path; a
    position slider steps it and a Play control animates it.
    """

    def __init__(
        self,
        steps: int = 12,
        channels: int = 4,
        kernel_size: int = 3,
        *,
        padding: str = "valid",
        strides: int = 1,
        dilation_rate: int = 1,
        filters: int = 1,
    ) -> None:
        super().__init__()
        if steps > MAX_STEPS or channels > MAX_CHANNELS:
            raise ValueError(
                f"The picture draws at most {MAX_STEPS} steps and {MAX_CHANNELS} channels. "
                f"Received: steps={steps}, channels={channels}"
            )
        out = conv_output_length(
            steps, kernel_size, padding=padding, strides=strides, dilation_rate=dilation_rate
        )
        self.steps, self.channels, self.kernel_size = steps, channels, kernel_size
        self.padding, self.strides, self.dilation_rate = padding, strides, dilation_rate
        self.filters = filters
        self.output = out
        self.pad_before, self.pad_after = padding_amount(
            steps, kernel_size, padding=padding, strides=strides, dilation_rate=dilation_rate
        )
        self.position = 0
        self._build()
        self.slider = W.IntSlider(
            value=0, min=0, max=out.length - 1, description="output step", continuous_update=True
        )
        self.play = W.Play(value=0, min=0, max=out.length - 1, interval=600, description="Play")
        W.jslink((self.play, "value"), (self.slider, "value"))  # animation stays in the browser
        self.slider.observe(self._on_position, names="value")
        self.controls = [self.play, self.slider]
        self.set_position(0)

    @property
    def padding_cells(self) -> int:
        """Padding columns drawn (each spans every channel)."""
        return self.pad_before + self.pad_after

    @property
    def window_x(self) -> float:
        """Left edge of the kernel's first tap, in input steps (padding before is negative)."""
        return self._taps[0].get_x()

    def _tap_x(self, position: int, tap: int) -> int:
        return position * self.strides - self.pad_before + tap * self.dilation_rate

    def _build(self) -> None:
        n, c = self.steps, self.channels
        self.fig = new_figure(max(5.0, 0.35 * (n + self.padding_cells) + 1.5), 3.2)
        ax = self.ax = self.fig.add_axes((0.03, 0.05, 0.94, 0.78))
        ax.set_axis_off()
        ax.set_aspect("equal")
        cells = [Rectangle((x, y), 1, 1) for x in range(n) for y in range(c)]
        ax.add_collection(PatchCollection(cells, facecolor=LIGHT, edgecolor=GREY, linewidth=0.5))
        pads = [Rectangle((x, y), 1, 1) for x in range(-self.pad_before, 0) for y in range(c)]
        pads += [Rectangle((n + x, y), 1, 1) for x in range(self.pad_after) for y in range(c)]
        self.padding_collection = PatchCollection(
            pads, facecolor="white", edgecolor=GREY, hatch="//", linewidth=0.5
        )
        ax.add_collection(self.padding_collection)
        self._taps = [
            ax.add_patch(
                Rectangle((0, 0), 1, c, facecolor=ORANGE, alpha=0.45, edgecolor=ORANGE, linewidth=2)
            )
            for _ in range(self.kernel_size)
        ]
        out_y = -2.2
        m = self.output.length
        ax.add_collection(
            PatchCollection(
                [Rectangle((x, out_y), 1, 1) for x in range(m)],
                facecolor="white",
                edgecolor=GREY,
                linewidth=0.5,
            )
        )
        self.filled = ax.add_patch(Rectangle((0, out_y), 0, 1, facecolor=SKY, edgecolor="none"))
        self.current = ax.add_patch(Rectangle((0, out_y), 1, 1, facecolor=BLUE, edgecolor=BLUE))
        ax.text(
            -self.pad_before - 0.5,
            c / 2,
            "channels",
            rotation=90,
            ha="right",
            va="center",
            fontsize=8,
        )
        ax.text(m + 0.3, out_y + 0.5, f"output: {m} steps", va="center", fontsize=8)
        ax.set_title(
            f"Conv1D: kernel {self.kernel_size} x {c} x {self.filters} filter(s), "
            f"padding='{self.padding}', strides={self.strides}, "
            f"dilation_rate={self.dilation_rate}\noutput length {self.output.formula}",
            fontsize=9,
        )
        left = -self.pad_before - 1.5
        ax.set_xlim(left, max(n + self.pad_after, m + 6) + 0.5)
        ax.set_ylim(out_y - 0.5, c + 0.5)

    def _on_position(self, change: dict[str, Any]) -> None:
        self.set_position(change["new"])

    def set_position(self, position: int) -> None:
        """Move the window to output step `position`: artists move, one draw_idle."""
        if not 0 <= position < self.output.length:
            raise ValueError(
                f"`position` must be an output step from 0 to {self.output.length - 1}. "
                f"Received: position={position}"
            )
        self.position = position
        for i, tap in enumerate(self._taps):
            tap.set_x(self._tap_x(position, i))
        self.filled.set_width(position)
        self.current.set_x(position)
        first, last = self._tap_x(position, 0), self._tap_x(position, self.kernel_size - 1)
        self._set_alt(
            f"Conv1D picture: {self.steps} steps x {self.channels} channels"
            f"{f', {self.padding_cells} padding steps' if self.padding_cells else ''}; the "
            f"kernel covers steps {first} to {last} and all {self.channels} channels to make "
            f"output step {position} of {self.output.length}."
        )
        self.fig.canvas.draw_idle()
