"""SVG drawing for the browser edition's pictures: a few shapes as markup, and the picture base
that shows it in an `ipywidgets.HTML` (one value set per step). Standard library and
ipywidgets only."""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as W

from paramlab.core._style import DARK_TEXT, LINE_GREY
from paramlab.ui import _aria, _display
from paramlab.ui.pictures._base import PictureBase

WIDTH = 672  # px: the matplotlib pictures' MAX_WIDTH at 96 dpi
FONT = 12  # px: as the figures' 9 pt text
HATCH = "paramlab-hatch"
CSS = "<style>.paramlab-svg svg { max-width: 100%; height: auto; display: block; }</style>"


def rect(x: float, y: float, w: float, h: float, fill: str, **attrs: object) -> str:
    extra = "".join(
        f' {k.rstrip("_").replace("_", "-")}="{html.escape(str(v))}"' for k, v in attrs.items()
    )
    return f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="{fill}"{extra}/>'


def text(x: float, y: float, words: str, *, anchor: str = "middle", size: int = FONT) -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{DARK_TEXT}" font-family="sans-serif">{html.escape(words)}</text>'
    )


def line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{colour}" '
        'stroke-width="1.5"/>'
    )


def ticks(count: int, cell: float) -> list[int]:
    """Which of `count` cells get a number: every one, every 5th or every 10th (as the
    matplotlib pictures' `index_ticks`), so labels never crowd."""
    every = next((e for e in (1, 5, 10) if e * cell >= 24), 20)
    return list(range(0, count, every))


def svg(width: float, height: float, label: str, parts: Iterable[str]) -> str:
    """The whole drawing: `role="img"` named by `label` (the picture's text alternative)."""
    hatch = (
        f'<defs><pattern id="{HATCH}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="white"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{LINE_GREY}" stroke-width="1.5"/>'
        "</pattern></defs>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(label)}" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}">'
        f"<title>{html.escape(label)}</title>{hatch}{''.join(parts)}</svg>"
    )


class SvgPicture(PictureBase):
    """A picture drawn as SVG markup: `drawing()` gives the markup of the current position;
    `redraw()` sets it, once per step."""

    def __init__(self) -> None:
        super().__init__()
        self.svg = W.HTML(layout=W.Layout(width="100%", max_width=f"{WIDTH}px"))
        self.svg.add_class("paramlab-svg")

    def drawing(self) -> str:
        raise NotImplementedError

    def redraw(self) -> None:
        self.svg.value = self.drawing()

    def widget(self) -> W.VBox:
        return self._box(W.HTML(CSS, layout=W.Layout(display="none")), self.svg)

    @property
    def static_text(self) -> str:
        return self.text

    def _ipython_display_(self) -> None:
        text_ = self.static_text
        _display.show(_aria.named(self.widget()), text_, html_text=self.drawing())
