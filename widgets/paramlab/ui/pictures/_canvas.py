"""Figures that update in place: one ipympl canvas per picture, drawn again only on request.

Colours are the Okabe-Ito palette (`paramlab.core._style`), safe for the common forms of colour
blindness. Figures are drawn at 96 dpi, so one point is 4/3 of a CSS pixel: the smallest text
(9 pt) is 12 px on screen at 100% zoom. A picture is at most `MAX_WIDTH` inches (672 px) wide,
and in the browser it shrinks with the output area (see `FIT_CSS`), keeping its proportions.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
from ipympl.backend_nbagg import Canvas, FigureManager
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from paramlab.core._style import LINE_GREY
from paramlab.ui import _aria, _display
from paramlab.ui.pictures._base import PICTURE_CLASS, PLAY_CLASS, PictureBase
from paramlab.ui.pictures._filmstrip import png_bytes

DPI = 96  # CSS pixels per inch: sizes in points read as on screen
TEXT_PT = 9.0  # tick labels, axis labels: 12 px
TITLE_PT = 10.0  # titles: 13.3 px
MAX_WIDTH = 7.0  # inches: 672 px, narrower than a notebook's output area at 1280 px

# ipympl 0.10 sizes its canvases with inline pixel styles and lets a narrow output area scroll
# them sideways; its `resizable` is only a drag handle. These rules let the drawing shrink with
# the output area instead: the bitmap keeps its pixels and the browser scales it, proportions
# kept (`height: auto` on a canvas follows its width/height attributes). The overlay canvas
# (rubber band, resize handle; unused here) is stretched over it.
# A learner whose system asks for reduced motion gets no Play control at all (it is hidden, so
# it can be neither seen nor reached with Tab): the back/next buttons and the position slider
# step the picture instead. The browser decides, so no round trip to the kernel is needed.
FIT_CSS = f"""<style>
.{PICTURE_CLASS} .jupyter-matplotlib-figure {{ max-width: 100%; }}
.{PICTURE_CLASS} .jupyter-matplotlib-canvas-container {{ overflow: hidden; }}
.{PICTURE_CLASS} .jupyter-matplotlib-canvas-div {{
  width: auto !important; height: auto !important; max-width: 100%;
}}
.{PICTURE_CLASS} .jupyter-matplotlib-canvas-div > canvas:first-child {{
  position: relative !important; max-width: 100% !important; height: auto !important;
}}
.{PICTURE_CLASS} .jupyter-matplotlib-canvas-div > canvas + canvas {{
  width: 100% !important; height: 100% !important;
}}
@media (prefers-reduced-motion: reduce) {{
  .{PICTURE_CLASS} .{PLAY_CLASS} {{ display: none !important; }}
}}
</style>"""


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own ipympl canvas (an ipywidgets DOMWidget), outside pyplot's registry,
    so nothing is shown twice and each picture updates only its own canvas."""
    size = (round(min(width, MAX_WIDTH) * DPI) / DPI, round(height * DPI) / DPI)  # whole pixels
    fig = Figure(figsize=size, dpi=DPI)
    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False  # the drag handle would only change the figure's inches
    canvas.layout = W.Layout(width="100%", max_width="100%", height="auto", min_width="0")
    return fig


def index_ticks(count: int, cell_px: float, *, gap_px: float = 24.0) -> list[int]:
    """Indices to label along an axis of `count` cells each `cell_px` wide: every one, every
    5th or every 10th, the first of these that leaves `gap_px` between labels, so they never
    crowd and are easy to count on from (45 cells in a 250 px panel: every 5th)."""
    every = next((e for e in (1, 5, 10) if e * cell_px >= gap_px), 20)
    return list(range(0, count, every))


def label_cells(axis: Any, count: int, *, label: str) -> None:
    """Tick `axis` (an `ax.xaxis`/`ax.yaxis`, its limits set) at the centres of cells
    0..count-1 (cell i spans i to i + 1), each labelled with its index, and name it `label`."""
    ax = axis.axes
    box, (fig_w, fig_h) = ax.get_position(), ax.figure.get_size_inches()
    across = axis is ax.xaxis
    inches = box.width * fig_w if across else box.height * fig_h
    low, high = axis.get_view_interval()
    ticks = index_ticks(count, inches * DPI / abs(high - low), gap_px=24.0 if across else 16.0)
    axis.set_ticks([i + 0.5 for i in ticks], [str(i) for i in ticks])
    axis.set_tick_params(labelsize=TEXT_PT, length=3, width=0.6, color=LINE_GREY, pad=2)
    axis.set_label_text(label, fontsize=TEXT_PT)


def bare(ax: Axes) -> None:
    """An axes that shows only its tick labels and axis labels: no frame, no background."""
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_facecolor("none")
    ax.set_xticks([])
    ax.set_yticks([])


def place(fig: Figure, left: float, bottom: float, width: float, height: float) -> Axes:
    """An axes placed in inches from the figure's lower-left corner."""
    w, h = fig.get_size_inches()
    return fig.add_axes((left / w, bottom / h, width / w, height / h))


class Picture(PictureBase):
    """Base: a figure, a text alternative under it, and optional controls above it."""

    fig: Figure

    def __init__(self) -> None:
        super().__init__()
        self._static_png: bytes | None = None

    def widget(self) -> W.VBox:
        return self._box(W.HTML(FIT_CSS, layout=W.Layout(display="none")), self.fig.canvas)

    # The static stand-in, for views without a kernel (see `paramlab.ui._display`): a figure
    # drawn off-screen on its own Agg canvas and its text alternative. Neither depends on the
    # live position, so the PNG is drawn once per picture, however often it is displayed.

    def static_figure(self) -> Figure:
        """The stand-in's figure, on a private Agg canvas; the live figure is not touched."""
        raise NotImplementedError

    @property
    def static_text(self) -> str:
        """What the stand-in's image shows, in words: its alt text and its text/plain."""
        return self.text

    def static_png(self) -> bytes:
        if self._static_png is None:
            self._static_png = png_bytes(self.static_figure())
        return self._static_png

    def _ipython_display_(self) -> None:
        text = self.static_text
        _display.show(_aria.named(self.widget()), text, png=self.static_png(), alt=text)
