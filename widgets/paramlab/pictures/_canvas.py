"""Figures that update in place: one ipympl canvas per picture, drawn again only on request.

Colours are the Okabe-Ito palette, safe for the common forms of colour blindness.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as W
from ipympl.backend_nbagg import Canvas, FigureManager
from matplotlib.figure import Figure

from paramlab._display import display_with_text

BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
GREEN = "#009E73"
GREY = "#BBBBBB"
LIGHT = "#F2F2F2"


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own ipympl canvas (an ipywidgets DOMWidget), outside pyplot's registry,
    so nothing is shown twice and each picture updates only its own canvas."""
    fig = Figure(figsize=(width, height), dpi=90)
    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    return fig


def alt_text(text: str) -> str:
    """The one-line text alternative shown under a picture."""
    return f"<div role='note' style='font-size:90%;color:#333'>{html.escape(text)}</div>"


class Picture:
    """Base: a figure, a text alternative under it, and optional controls above it."""

    fig: Figure
    controls: list[W.Widget]

    def __init__(self) -> None:
        self.alt = W.HTML()
        self.controls = []

    @property
    def text(self) -> str:
        """The plain text alternative as now shown."""
        return self._alt_text

    def _set_alt(self, text: str) -> None:
        self._alt_text = text
        self.alt.value = alt_text(text)

    def widget(self) -> W.VBox:
        rows: list[Any] = []
        if self.controls:
            rows.append(W.HBox(self.controls))
        rows += [self.fig.canvas, self.alt]
        return W.VBox(rows)

    def _ipython_display_(self) -> None:
        display_with_text(self.widget(), self.text)
