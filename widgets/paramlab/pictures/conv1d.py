"""Conv1DPicture: a (kernel_size x channels) window sliding along a (steps x channels) input."""

from __future__ import annotations

from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from paramlab.pictures._canvas import (
    BLUE,
    GREY,
    LIGHT,
    MAX_WIDTH,
    ORANGE,
    SKY,
    TITLE_PT,
    Picture,
    bare,
    label_cells,
    new_figure,
    place,
)
from paramlab.pictures._controls import Stepper
from paramlab.shapes import conv_output_length, padding_amount
from paramlab.terms import counted

MAX_STEPS = 64
MAX_CHANNELS = 32
CELL = 0.3  # inches per cell at most (29 px); long inputs get smaller cells
MIN_WIDTH = 5.6  # inches: room for the three-line title
LEFT, RIGHT = 0.75, 0.25  # inches beside the grid: channel ticks and label; breathing room
TITLE, GAP, BOTTOM = 0.75, 0.55, 0.5  # inches: title lines; input step labels; output labels


class Conv1DPicture(Picture):
    """Input drawn as steps (across, numbered) by channels (up, numbered); padding cells
    hatched; the kernel's taps span every channel; the output sequence, numbered by output step,
    fills in position by position below.

    `position` (the output step shown) is the only thing that moves on the hot path; a
    position slider steps it, back/next buttons nudge it and a Play control animates it.
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
        stepper = Stepper(
            out.length,
            noun="output step",
            interval=600,
            on_change=self.set_position,
            guard=self._guarded,
        )
        self.stepper = stepper
        self.slider, self.play, self.play_link = stepper.slider, stepper.play, stepper.play_link
        self.controls = stepper.widgets
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
        n, c, m = self.steps, self.channels, self.output.length
        x0 = -self.pad_before - 0.5
        x1 = max(n + self.pad_after, m) + 0.5
        cell = min(CELL, (MAX_WIDTH - LEFT - RIGHT) / (x1 - x0))
        grid_w, grid_h, out_h = cell * (x1 - x0), cell * (c + 0.5), max(1.5 * cell, 0.3)
        width = max(MIN_WIDTH, LEFT + grid_w + RIGHT)
        height = TITLE + grid_h + GAP + out_h + BOTTOM
        self.fig = new_figure(width, height)
        left = max(LEFT, (width - grid_w) / 2)
        ax = self.ax = place(self.fig, left, BOTTOM + out_h + GAP, grid_w, grid_h)
        out_ax = self.out_ax = place(self.fig, left, BOTTOM, grid_w, out_h)
        for a in (ax, out_ax):
            bare(a)
            a.set_xlim(x0, x1)
        ax.set_ylim(-0.25, c + 0.25)
        out_ax.set_ylim(-0.25, 1.25)
        label_cells(ax.xaxis, n, label="input step")
        label_cells(ax.yaxis, c, label="channel")
        label_cells(out_ax.xaxis, m, label=f"output step ({m} in all)")

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
        out_ax.add_collection(
            PatchCollection(
                [Rectangle((x, 0), 1, 1) for x in range(m)],
                facecolor="white",
                edgecolor=GREY,
                linewidth=0.5,
            )
        )
        self.filled = out_ax.add_patch(Rectangle((0, 0), 0, 1, facecolor=SKY, edgecolor="none"))
        self.current = out_ax.add_patch(Rectangle((0, 0), 1, 1, facecolor=BLUE, edgecolor=BLUE))
        padded = " (hatched: padding)" if self.padding_cells else ""
        self.fig.suptitle(
            f"Conv1D: kernel {self.kernel_size} steps x {c} channels x {self.filters} "
            f"filter(s){padded}\npadding='{self.padding}', strides={self.strides}, "
            f"dilation_rate={self.dilation_rate}\noutput length {self.output.formula}",
            fontsize=TITLE_PT,
            y=1 - 0.08 / height,
            va="top",
        )

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
        padding = counted(self.padding_cells, "padding step") if self.padding_cells else ""
        spans = "the one channel" if self.channels == 1 else f"all {self.channels} channels"
        self._set_alt(
            f"Conv1D picture: {counted(self.steps, 'step')} x "
            f"{counted(self.channels, 'channel')}{f', {padding}' if padding else ''}; the kernel "
            f"covers steps {first} to {last} and {spans} to make output step {position} of "
            f"{self.output.length}."
        )
        self.fig.canvas.draw_idle()
