"""Conv2DPicture: a (kh x kw x channels) kernel sliding over an image, the map filling in."""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Rectangle

from paramlab.pictures._canvas import BLUE, GREY, LIGHT, ORANGE, Picture, new_figure
from paramlab.shapes import conv_output_length, padding_amount

MAX_SIDE = 24
DEPTH_STEP = 0.3  # how far each channel layer is drawn behind the one in front
MAX_LAYERS = 4  # channel layers drawn; more are summarized in the title


class Conv2DPicture(Picture):
    """The image with its channels drawn as depth (layers behind it), the kernel spanning
    every layer, and the output feature map on the right filling in row by row."""

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
        self.slider = W.IntSlider(value=0, min=0, max=last, description="output cell")
        self.play = W.Play(value=0, min=0, max=last, interval=400, description="Play")
        W.jslink((self.play, "value"), (self.slider, "value"))
        self.slider.observe(self._on_position, names="value")
        self.controls = [self.play, self.slider]
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
        self.fig = new_figure(8.0, 4.0)
        ax = self.ax = self.fig.add_axes((0.02, 0.05, 0.55, 0.78))
        out_ax = self.out_ax = self.fig.add_axes((0.62, 0.05, 0.36, 0.78))
        for a in (ax, out_ax):
            a.set_axis_off()
            a.set_aspect("equal")
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
        ax.set_xlim(-self.pad_left - 0.5, w + self.pad_left + self.layers * DEPTH_STEP + 0.5)
        ax.set_ylim(h + self.pad_top + 0.5, -self.pad_top - self.layers * DEPTH_STEP - 0.5)
        more = (
            f" ({self.layers} of {self.channels} channels drawn)"
            if self.channels > MAX_LAYERS
            else ""
        )
        ax.set_title(
            f"input {h} x {w} x {self.channels}{more}; kernel {k} x {k} x {self.channels}",
            fontsize=9,
        )
        self.map_image = out_ax.imshow(
            self._map,
            cmap="Blues",
            vmin=0,
            vmax=1.4,
            extent=(0, self.out_w.length, self.out_h.length, 0),
        )
        out_ax.add_collection(
            PatchCollection(
                [
                    Rectangle((x, y), 1, 1)
                    for x in range(self.out_w.length)
                    for y in range(self.out_h.length)
                ],
                facecolor="none",
                edgecolor=GREY,
                linewidth=0.4,
            )
        )
        self.current = out_ax.add_patch(
            Rectangle((0, 0), 1, 1, facecolor="none", edgecolor=BLUE, linewidth=2.5)
        )
        out_ax.set_xlim(-0.2, self.out_w.length + 0.2)
        out_ax.set_ylim(self.out_h.length + 0.2, -0.2)
        out_ax.set_title(
            f"output {self.out_h.length} x {self.out_w.length} per filter\n"
            f"height: {self.out_h.formula}",
            fontsize=9,
        )

    def _on_position(self, change: dict[str, Any]) -> None:
        self.set_position(change["new"])

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
