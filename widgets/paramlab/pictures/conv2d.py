"""Conv2DPicture: a (kh x kw x channels) kernel sliding over an image, the map filling in."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from paramlab.pictures._canvas import (
    BLUE,
    GREY,
    LIGHT,
    MAX_WIDTH,
    ORANGE,
    TITLE_PT,
    Picture,
    bare,
    label_cells,
    new_figure,
    place,
)
from paramlab.pictures._controls import Stepper
from paramlab.shapes import conv_output_length, padding_amount

MAX_SIDE = 24
DEPTH_STEP = 0.3  # how far each channel layer is drawn behind the one in front
MAX_LAYERS = 4  # channel layers drawn; more are summarized in the title
CELL = 0.3  # inches per cell at most (29 px); big images get smaller cells
LEFT, RIGHT = 0.75, 0.1  # inches beside each panel: row ticks and label; breathing room
TITLE, BOTTOM = 0.7, 0.55  # inches: two title lines; column ticks and label


class Conv2DPicture(Picture):
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
        if height > MAX_SIDE or width > MAX_SIDE:
            raise ValueError(
                f"The picture draws images of at most {MAX_SIDE} x {MAX_SIDE}. "
                f"Received: height={height}, width={width}"
            )
        self.height, self.width, self.channels = height, width, channels
        self.kernel_size, self.padding, self.strides = kernel_size, padding, strides
        self.out_h = conv_output_length(height, kernel_size, padding=padding, strides=strides)
        self.out_w = conv_output_length(width, kernel_size, padding=padding, strides=strides)
        self.pad_top, _ = padding_amount(height, kernel_size, padding=padding, strides=strides)
        self.pad_left, _ = padding_amount(width, kernel_size, padding=padding, strides=strides)
        self._map = np.full((self.out_h.length, self.out_w.length), np.nan)
        self._build()
        last = self.out_h.length * self.out_w.length - 1
        stepper = Stepper(
            last + 1,
            noun="output cell",
            interval=400,
            on_change=self.set_position,
            guard=self._guarded,
        )
        self.stepper = stepper
        self.slider, self.play, self.play_link = stepper.slider, stepper.play, stepper.play_link
        self.controls = stepper.widgets
        self.set_position(0)

    @property
    def layers(self) -> int:
        return min(self.channels, MAX_LAYERS)

    @property
    def window_xy(self) -> tuple[float, float]:
        """Top-left of the kernel on the front channel, in (column, row) input cells."""
        return self._windows[0].get_xy()

    def _build(self) -> None:
        h, w, k = self.height, self.width, self.kernel_size
        oh, ow = self.out_h.length, self.out_w.length
        depth = self.layers * DEPTH_STEP
        xlim = (-self.pad_left - 0.5, w + self.pad_left + depth + 0.5)
        ylim = (h + self.pad_top + 0.5, -self.pad_top - depth - 0.5)
        span_x, span_y = xlim[1] - xlim[0], ylim[0] - ylim[1]
        out_x, out_y = ow + 0.4, oh + 0.4
        half = MAX_WIDTH / 2
        room = half - LEFT - RIGHT
        cell = min(CELL, room / span_x, room / out_x)
        third_line = self.channels > MAX_LAYERS or self.out_w != self.out_h
        top = TITLE + (0.2 if third_line else 0.0)
        height = top + cell * max(span_y, out_y) + BOTTOM
        self.fig = new_figure(MAX_WIDTH, height)
        panels = []
        for start, (sx, sy) in ((0.0, (span_x, span_y)), (half, (out_x, out_y))):
            left = start + LEFT + (room - cell * sx) / 2
            panels.append(place(self.fig, left, height - top - cell * sy, cell * sx, cell * sy))
        ax, out_ax = self.ax, self.out_ax = panels
        for a in panels:
            bare(a)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        out_ax.set_xlim(-0.2, ow + 0.2)
        out_ax.set_ylim(oh + 0.2, -0.2)
        label_cells(ax.xaxis, w, label="input column")
        label_cells(ax.yaxis, h, label="input row")
        label_cells(out_ax.xaxis, ow, label="output column")
        label_cells(out_ax.yaxis, oh, label="output row")
        self._windows = []
        for layer in reversed(range(self.layers)):  # back layers first
            d = layer * DEPTH_STEP
            cells = [Rectangle((x + d, y - d), 1, 1) for x in range(w) for y in range(h)]
            ax.add_collection(
                PatchCollection(
                    cells,
                    facecolor=LIGHT,
                    edgecolor=GREY,
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
            self._windows.insert(0, window)
        more = (
            f"\n({self.layers} of {self.channels} channels drawn)"
            if self.channels > MAX_LAYERS
            else ""
        )
        ax.set_title(
            f"input {h} x {w} x {self.channels}\nkernel {k} x {k} x {self.channels}{more}",
            fontsize=TITLE_PT,
        )
        self.map_image = out_ax.imshow(
            self._map,
            cmap="Blues",
            vmin=0,
            vmax=1.4,
            extent=(0, ow, oh, 0),
        )
        out_ax.add_collection(
            PatchCollection(
                [Rectangle((x, y), 1, 1) for x in range(ow) for y in range(oh)],
                facecolor="none",
                edgecolor=GREY,
                linewidth=0.4,
            )
        )
        self.current = out_ax.add_patch(
            Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=BLUE, linewidth=2.5)
        )
        sizes = f"rows: {self.out_h.values} = {oh}"  # the symbols are in the lesson's text
        if self.out_w != self.out_h:
            sizes += f"\ncolumns: {self.out_w.values} = {ow}"
        out_ax.set_title(f"output {oh} x {ow} per filter\n{sizes}", fontsize=TITLE_PT)

    def set_position(self, position: int) -> None:
        """Show output cell `position` (row-major): the kernel and the map update in place."""
        cols = self.out_w.length
        last = self.out_h.length * cols - 1
        if not 0 <= position <= last:
            raise ValueError(
                f"`position` must be an output cell from 0 to {last}. Received: position={position}"
            )
        row, col = divmod(position, cols)
        top, left = row * self.strides - self.pad_top, col * self.strides - self.pad_left
        for layer, window in enumerate(self._windows):
            d = layer * DEPTH_STEP
            window.set_xy((left + d, top - d))
        self._map[:] = np.nan
        self._map.flat[:position] = 0.6
        self._map.flat[position] = 1.0
        self.map_image.set_data(self._map)
        self.current.set_xy((col, row))
        self._set_alt(
            f"Conv2D picture: a {self.kernel_size} x {self.kernel_size} x {self.channels} kernel "
            f"over a {self.height} x {self.width} x {self.channels} image, at rows {top} to "
            f"{top + self.kernel_size - 1} and columns {left} to {left + self.kernel_size - 1}, "
            f"makes output cell ({row}, {col}) of {self.out_h.length} x {self.out_w.length}."
        )
        self.fig.canvas.draw_idle()
