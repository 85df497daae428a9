"""ConfusionPicture: one grey image read two ways, as Conv1D input and as Conv2D input."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from paramlab.core._style import ORANGE, VERMILLION
from paramlab.core.terms import fmt
from paramlab.ui.pictures._canvas import (
    MAX_WIDTH,
    TITLE_PT,
    Picture,
    label_cells,
    new_figure,
    place,
)
from paramlab.ui.pictures._filmstrip import agg_figure
from paramlab.ui.pictures._words import ConfusionReadings

SIDE = 2.6  # inches per panel (250 px): the 45 rows are 5.5 px each
LEFT = 0.6  # inches left of each panel: row ticks and label
TITLE, BOTTOM = 0.6, 0.55  # inches: two title lines; column ticks and label


class ConfusionPicture(ConfusionReadings, Picture):
    """Left: rows as steps, columns as channels, so a Conv1D kernel of `kernel_size` rows spans
    all `size` columns. Right: a one-channel image, so a Conv2D kernel is kernel_size squared.
    Axes are numbered (every 5th index for 45) and named: step and channel, row and column."""

    def __init__(self, size: int = 45, kernel_size: int = 5, filters: int = 32) -> None:
        super().__init__()
        self._configure(size, kernel_size, filters)
        self.fig = new_figure(MAX_WIDTH, TITLE + SIDE + BOTTOM)
        self.windows = self._draw(self.fig)
        self._set_alt(self.reading_text)

    def _draw(self, fig: Figure) -> list[Rectangle]:
        """Both readings side by side on `fig`; returns their two windows."""
        size, kernel_size = self.size, self.kernel_size
        y, x = np.mgrid[0:size, 0:size]
        image = 0.5 + 0.25 * np.sin(x / 5.0) * np.cos(y / 7.0)  # any grey picture will do
        half = MAX_WIDTH / 2
        k1, k2 = self.conv1d["kernel"], self.conv2d["kernel"]
        b1, b2 = self.conv1d["bias"], self.conv2d["bias"]
        panels = (
            (
                (kernel_size, size),
                f"Conv1D on ({size}, {size}): {size} steps x {size} channels\n"
                f"kernel {k1.shape} = {fmt(k1.count)} (+{b1.count} = {fmt(self.conv1d.total)})",
            ),
            (
                (kernel_size, kernel_size),
                f"Conv2D on ({size}, {size}, 1): one channel\n"
                f"kernel {k2.shape} = {fmt(k2.count)} (+{b2.count} = {fmt(self.conv2d.total)})",
            ),
        )
        windows = []
        axis_names = (("channel", "step"), ("column", "row"))
        for i, ((rows, cols), title) in enumerate(panels):
            left = i * half + LEFT + (half - LEFT - SIDE) / 2
            ax = place(fig, left, BOTTOM, SIDE, SIDE)
            ax.imshow(image, cmap="Greys", vmin=0, vmax=1, extent=(0, size, size, 0))
            window = Rectangle(
                (0, 0), cols, rows, facecolor=ORANGE, alpha=0.45, edgecolor=VERMILLION, linewidth=2
            )
            ax.add_patch(window)
            windows.append(window)
            across, down = axis_names[i]
            label_cells(ax.xaxis, size, label=across)
            label_cells(ax.yaxis, size, label=down)
            ax.set_title(title, fontsize=TITLE_PT)
        return windows

    @property
    def static_text(self) -> str:
        totals = f"{fmt(self.conv1d.total)} and {fmt(self.conv2d.total)}"
        return (
            f"{self.text} Side by side in one image, each titled with its kernel's shape; with "
            f"the {self.filters} biases the two layers have {totals} parameters."
        )

    def static_figure(self) -> Figure:
        """The same two readings, drawn again off-screen: the picture does not move."""
        fig = agg_figure(MAX_WIDTH, TITLE + SIDE + BOTTOM)
        self._draw(fig)
        return fig
