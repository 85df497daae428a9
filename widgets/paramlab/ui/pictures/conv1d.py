"""Conv1DPicture: a (kernel_size x channels) window sliding along a (steps x channels) input."""

from __future__ import annotations

from typing import NamedTuple

from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from paramlab.core._style import BLUE, CELL_FILL, LINE_GREY, ORANGE, SKY
from paramlab.ui.pictures._canvas import (
    MAX_WIDTH,
    TITLE_PT,
    Picture,
    bare,
    label_cells,
    new_figure,
    place,
)
from paramlab.ui.pictures._controls import attach_stepper
from paramlab.ui.pictures._filmstrip import agg_figure, fitted
from paramlab.ui.pictures._words import Conv1DWindow

CELL = 0.3  # inches per cell at most (29 px); long inputs get smaller cells
MIN_WIDTH = 5.6  # inches: room for the three-line title
LEFT, RIGHT = 0.75, 0.25  # inches beside the grid: channel ticks and label; breathing room
TITLE, GAP, BOTTOM = 0.75, 0.55, 0.5  # inches: title lines; input step labels; output labels
FRAME_TITLE, LINE = 0.3, 0.18  # inches: a filmstrip frame's title; each line it wraps to
TITLE_X = 0.1  # inches: frame titles start this far from the figure's left edge


class Conv1DPicture(Conv1DWindow, Picture):
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
        self._configure(
            steps, channels, kernel_size, padding=padding, strides=strides,
            dilation_rate=dilation_rate, filters=filters,
        )  # fmt: skip
        self._build()
        attach_stepper(self, self.output.length, noun="output step", interval=600)

    @property
    def window_x(self) -> float:
        """Left edge of the kernel's first tap, in input steps (padding before is negative)."""
        return self._taps[0].get_x()

    def _layout(self) -> tuple[float, float, float]:
        """Inches: the figure's width, the grid's left edge, and one frame's height (the
        input grid, its step labels, the output row and its labels; no title). Sets the
        x limits and the cell size that `_draw` uses."""
        x0 = -self.pad_before - 0.5
        x1 = max(self.steps + self.pad_after, self.output.length) + 0.5
        self._xlim = (x0, x1)
        self._cell = cell = min(CELL, (MAX_WIDTH - LEFT - RIGHT) / (x1 - x0))
        grid_w = cell * (x1 - x0)
        width = max(MIN_WIDTH, LEFT + grid_w + RIGHT)
        frame = cell * (self.channels + 0.5) + GAP + max(1.5 * cell, 0.3) + BOTTOM
        return width, max(LEFT, (width - grid_w) / 2), frame

    def _draw(self, fig: Figure, left: float, bottom: float) -> _Artists:
        """One frame of the picture with its lower edge `bottom` inches up `fig`."""
        n, c, m, cell = self.steps, self.channels, self.output.length, self._cell
        x0, x1 = self._xlim
        grid_w, grid_h, out_h = cell * (x1 - x0), cell * (c + 0.5), max(1.5 * cell, 0.3)
        ax = place(fig, left, bottom + BOTTOM + out_h + GAP, grid_w, grid_h)
        out_ax = place(fig, left, bottom + BOTTOM, grid_w, out_h)
        for a in (ax, out_ax):
            bare(a)
            a.set_xlim(x0, x1)
        ax.set_ylim(-0.25, c + 0.25)
        out_ax.set_ylim(-0.25, 1.25)
        label_cells(ax.xaxis, n, label="input step")
        label_cells(ax.yaxis, c, label="channel")
        label_cells(out_ax.xaxis, m, label=f"output step ({m} in all)")

        cells = [Rectangle((x, y), 1, 1) for x in range(n) for y in range(c)]
        ax.add_collection(
            PatchCollection(cells, facecolor=CELL_FILL, edgecolor=LINE_GREY, linewidth=0.5)
        )
        pads = [Rectangle((x, y), 1, 1) for x in range(-self.pad_before, 0) for y in range(c)]
        pads += [Rectangle((n + x, y), 1, 1) for x in range(self.pad_after) for y in range(c)]
        padding = PatchCollection(
            pads, facecolor="white", edgecolor=LINE_GREY, hatch="//", linewidth=0.5
        )
        ax.add_collection(padding)
        taps = [
            ax.add_patch(
                Rectangle((0, 0), 1, c, facecolor=ORANGE, alpha=0.45, edgecolor=ORANGE, linewidth=2)
            )
            for _ in range(self.kernel_size)
        ]
        out_ax.add_collection(
            PatchCollection(
                [Rectangle((x, 0), 1, 1) for x in range(m)],
                facecolor="white",
                edgecolor=LINE_GREY,
                linewidth=0.5,
            )
        )
        filled = out_ax.add_patch(Rectangle((0, 0), 0, 1, facecolor=SKY, edgecolor="none"))
        current = out_ax.add_patch(Rectangle((0, 0), 1, 1, facecolor=BLUE, edgecolor=BLUE))
        return _Artists(ax, out_ax, padding, taps, filled, current)

    def _build(self) -> None:
        width, left, frame = self._layout()
        height = TITLE + frame
        self.fig = new_figure(width, height)
        drawn = self._draw(self.fig, left, 0.0)
        self.ax, self.out_ax, self.padding_collection = drawn.ax, drawn.out_ax, drawn.padding
        self._taps, self.filled, self.current = drawn.taps, drawn.filled, drawn.current
        self._artists = drawn
        self._title(self.fig, height)

    def _title(self, fig: Figure, height: float) -> None:
        fig.suptitle(
            "\n".join(self.title_lines()), fontsize=TITLE_PT, y=1 - 0.08 / height, va="top"
        )

    def _move(self, drawn: _Artists, position: int) -> None:
        for i, tap in enumerate(drawn.taps):
            tap.set_x(self._tap_x(position, i))
        drawn.filled.set_width(position)
        drawn.current.set_x(position)

    def set_position(self, position: int) -> None:
        """Move the window to output step `position`: artists move, one draw_idle."""
        self.check_position(position)
        self.position = position
        self._move(self._artists, position)
        self._set_alt(self.alt_at(position))
        self.fig.canvas.draw_idle()

    # The static stand-in: a filmstrip of the telling positions, drawn off-screen.

    def static_figure(self) -> Figure:
        frames = self.frames()
        width, left, frame_h = self._layout()
        probe = agg_figure(width, 1.0)
        fit = width - 2 * TITLE_X
        titles = [fitted(probe, self._frame_title(f), fontsize=TITLE_PT, width=fit) for f in frames]
        heights = [FRAME_TITLE + LINE * t.count("\n") + frame_h for t in titles]
        height = TITLE + sum(heights)
        fig = agg_figure(width, height)
        top = height - TITLE
        for frame, title, frame_height in zip(frames, titles, heights, strict=True):
            fig.text(TITLE_X / width, (top - 0.05) / height, title, fontsize=TITLE_PT, va="top")
            top -= frame_height
            self._move(self._draw(fig, left, top), frame.position)
        self._title(fig, height)
        return fig


class _Artists(NamedTuple):
    """What moves in one frame: the kernel's taps and the output filling in."""

    ax: Axes
    out_ax: Axes
    padding: PatchCollection
    taps: list[Rectangle]
    filled: Rectangle
    current: Rectangle
