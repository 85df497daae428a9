"""Conv2DPicture: a (kh x kw x channels) kernel sliding over an image, the map filling in."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle

from paramlab.core._style import BLUE, CELL_FILL, LINE_GREY, ORANGE
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
from paramlab.ui.pictures._words import Conv2DWindow

DEPTH_STEP = 0.3  # how far each channel layer is drawn behind the one in front
MAX_LAYERS = 4  # channel layers drawn; more are summarized in the title
CELL = 0.3  # inches per cell at most (29 px); big images get smaller cells
LEFT, RIGHT = 0.75, 0.1  # inches beside each panel: row ticks and label; breathing room
TITLE, BOTTOM = 0.7, 0.55  # inches: two title lines; column ticks and label
FRAME_TITLE, LINE = 0.35, 0.18  # inches: a filmstrip frame's title; each line it wraps to
TITLE_X = 0.1  # inches: frame titles start this far from the figure's left edge


class Conv2DPicture(Conv2DWindow, Picture):
    """The image with its channels drawn as depth (layers behind it), rows and columns
    numbered, the kernel spanning every layer, and the output feature map on the right filling
    in row by row; a slider, back/next buttons and Play step through the output cells."""

    def __init__(
        self,
        height: int = 6,
        width: int = 6,
        channels: int = 3,
        kernel_size: int = 3,
        *,
        padding: str = "valid",
        strides: int = 1,
    ) -> None:
        super().__init__()
        self._configure(height, width, channels, kernel_size, padding=padding, strides=strides)
        self._build()
        last = self.out_h.length * self.out_w.length - 1
        attach_stepper(self, last + 1, noun="output cell", interval=400)

    @property
    def layers(self) -> int:
        return min(self.channels, MAX_LAYERS)

    @property
    def window_xy(self) -> tuple[float, float]:
        """Top-left of the kernel on the front channel, in (column, row) input cells."""
        return self._windows[0].get_xy()

    def _layout(self) -> float:
        """The cell size in inches. Sets the limits and spans (in cells) of both panels that
        `_draw` uses, and `_panel_h`: how tall a frame's panels are, in inches."""
        depth = self.layers * DEPTH_STEP
        self._xlim = (-self.pad_left - 0.5, self.width + self.pad_left + depth + 0.5)
        self._ylim = (self.height + self.pad_top + 0.5, -self.pad_top - depth - 0.5)
        span = (self._xlim[1] - self._xlim[0], self._ylim[0] - self._ylim[1])
        out = (self.out_w.length + 0.4, self.out_h.length + 0.4)
        self._spans = (span, out)
        room = MAX_WIDTH / 2 - LEFT - RIGHT
        cell = min(CELL, room / span[0], room / out[0])
        self._panel_h = cell * max(span[1], out[1])
        return cell

    def _draw(self, fig: Figure, cell: float, top: float) -> _Artists:
        """The input and output panels, their top edges `top` inches up `fig`."""
        h, w, k = self.height, self.width, self.kernel_size
        oh, ow = self.out_h.length, self.out_w.length
        half = MAX_WIDTH / 2
        room = half - LEFT - RIGHT
        panels = []
        for start, (sx, sy) in zip((0.0, half), self._spans, strict=True):
            left = start + LEFT + (room - cell * sx) / 2
            panels.append(place(fig, left, top - cell * sy, cell * sx, cell * sy))
        ax, out_ax = panels
        for a in panels:
            bare(a)
        ax.set_xlim(*self._xlim)
        ax.set_ylim(*self._ylim)
        out_ax.set_xlim(-0.2, ow + 0.2)
        out_ax.set_ylim(oh + 0.2, -0.2)
        label_cells(ax.xaxis, w, label="input column")
        label_cells(ax.yaxis, h, label="input row")
        label_cells(out_ax.xaxis, ow, label="output column")
        label_cells(out_ax.yaxis, oh, label="output row")
        windows = []
        for layer in reversed(range(self.layers)):  # back layers first
            d = layer * DEPTH_STEP
            cells = [Rectangle((x + d, y - d), 1, 1) for x in range(w) for y in range(h)]
            ax.add_collection(
                PatchCollection(
                    cells,
                    facecolor=CELL_FILL,
                    edgecolor=LINE_GREY,
                    linewidth=0.4,
                    zorder=2 * (self.layers - layer),
                )
            )
            window = Rectangle(
                (0, 0),
                k,
                k,
                facecolor=ORANGE,
                alpha=0.35,
                edgecolor=ORANGE,
                linewidth=2,
                zorder=2 * (self.layers - layer) + 1,
            )
            ax.add_patch(window)
            windows.insert(0, window)
        feature_map = np.full((oh, ow), np.nan)
        image = out_ax.imshow(feature_map, cmap="Blues", vmin=0, vmax=1.4, extent=(0, ow, oh, 0))
        out_ax.add_collection(
            PatchCollection(
                [Rectangle((x, y), 1, 1) for x in range(ow) for y in range(oh)],
                facecolor="none",
                edgecolor=LINE_GREY,
                linewidth=0.4,
            )
        )
        current = out_ax.add_patch(
            Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=BLUE, linewidth=2.5)
        )
        return _Artists(ax, out_ax, windows, feature_map, image, current)

    def _titles(self) -> tuple[str, str]:
        """The input panel's title and the output panel's."""
        h, w, k, c = self.height, self.width, self.kernel_size, self.channels
        more = f"\n({self.layers} of {c} channels drawn)" if c > MAX_LAYERS else ""
        oh, ow = self.out_h.length, self.out_w.length
        sizes = f"rows: {self.out_h.values} = {oh}"  # the symbols are in the lesson's text
        if self.out_w != self.out_h:
            sizes += f"\ncolumns: {self.out_w.values} = {ow}"
        return (
            f"input {h} x {w} x {c}\nkernel {k} x {k} x {c}{more}",
            f"output {oh} x {ow} per filter\n{sizes}",
        )

    def _build(self) -> None:
        cell = self._layout()
        third_line = self.channels > MAX_LAYERS or self.out_w != self.out_h
        top = TITLE + (0.2 if third_line else 0.0)
        height = top + self._panel_h + BOTTOM
        self.fig = new_figure(MAX_WIDTH, height)
        drawn = self._artists = self._draw(self.fig, cell, height - top)
        self.ax, self.out_ax, self._windows = drawn.ax, drawn.out_ax, drawn.windows
        self._map, self.map_image, self.current = drawn.map, drawn.image, drawn.current
        for ax, title in zip((self.ax, self.out_ax), self._titles(), strict=True):
            ax.set_title(title, fontsize=TITLE_PT)

    def _move(self, drawn: _Artists, position: int) -> None:
        row, col, top, left = self._window(position)
        for layer, window in enumerate(drawn.windows):
            d = layer * DEPTH_STEP
            window.set_xy((left + d, top - d))
        drawn.map[:] = np.nan
        drawn.map.flat[:position] = 0.6
        drawn.map.flat[position] = 1.0
        drawn.image.set_data(drawn.map)
        drawn.current.set_xy((col, row))

    def set_position(self, position: int) -> None:
        """Show output cell `position` (row-major): the kernel and the map update in place."""
        self.check_position(position)
        self._move(self._artists, position)
        self._set_alt(self.alt_at(position))
        self.fig.canvas.draw_idle()

    # The static stand-in: a filmstrip of the telling positions, drawn off-screen.

    def static_figure(self) -> Figure:
        frames = self.frames()
        cell = self._layout()
        inputs, outputs = self._titles()
        inputs = inputs.replace("\n(", " (").replace("\n", ", ")
        outputs = outputs.replace("\n", "; ")
        padding = f"padding='{self.padding}', strides={self.strides}"
        title = f"Conv2D: {inputs}, {padding}\n{outputs}"
        header = 0.25 + 0.2 * title.count("\n")  # inches: 0.2 per line, as TITLE
        probe = agg_figure(MAX_WIDTH, 1.0)
        fit = MAX_WIDTH - 2 * TITLE_X
        titles = [fitted(probe, self._frame_title(f), fontsize=TITLE_PT, width=fit) for f in frames]
        heights = [FRAME_TITLE + LINE * t.count("\n") + self._panel_h + BOTTOM for t in titles]
        height = header + sum(heights)
        fig = agg_figure(MAX_WIDTH, height)
        fig.suptitle(title, fontsize=TITLE_PT, y=1 - 0.08 / height, va="top")
        top = height - header
        for frame, frame_title, frame_height in zip(frames, titles, heights, strict=True):
            y = (top - 0.1) / height
            fig.text(TITLE_X / MAX_WIDTH, y, frame_title, fontsize=TITLE_PT, va="top")
            panels_top = top - FRAME_TITLE - LINE * frame_title.count("\n")
            self._move(self._draw(fig, cell, panels_top), frame.position)
            top -= frame_height
        return fig


class _Artists(NamedTuple):
    """What moves in one frame: the kernel on each drawn channel layer, the map filling in."""

    ax: Axes
    out_ax: Axes
    windows: list[Rectangle]
    map: np.ndarray
    image: AxesImage
    current: Rectangle
