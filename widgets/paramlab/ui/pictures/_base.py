"""What every picture has, whatever draws it: a text alternative under the drawing, the step
controls above it, and unexpected errors said there in one line. Imports ipywidgets only (the
browser edition's SVG pictures have no matplotlib)."""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial
from typing import Any

import ipywidgets as W

from paramlab.core._style import DARK_TEXT
from paramlab.ui._guard import guarded

PICTURE_CLASS = "paramlab-picture"
PLAY_CLASS = "paramlab-play"


def alt_text(text: str) -> str:
    """The one-line text alternative shown under a picture."""
    style = f"font-size:90%;line-height:1.4;color:{DARK_TEXT}"
    return f"<div role='note' style='{style}'>{html.escape(text)}</div>"


class PictureBase:
    """A drawing with a text alternative under it and optional controls above it."""

    controls: list[W.Widget]

    def __init__(self) -> None:
        self.alt = W.HTML()
        self.controls = []
        self.error: str | None = None

    @property
    def text(self) -> str:
        """The plain text alternative as now shown."""
        return self._alt_text

    def _set_alt(self, text: str) -> None:
        self._alt_text = text
        self.alt.value = alt_text(text)

    def _guarded(self, callback: Callable[..., None]) -> Callable[..., None]:
        """`callback`, with any unexpected error shown under the picture as one short line
        (`paramlab.ui._guard`) rather than only in JupyterLab's log, where a learner would never
        look; `error` holds that line until a step draws again."""

        def run(*args: Any) -> None:
            self.error = None
            guarded("drawing this step", partial(callback, *args), self._show_error)

        return run

    def _show_error(self, message: str) -> None:
        self.error = message
        self._set_alt(message)

    def _box(self, first: W.Widget, drawing: W.Widget) -> W.VBox:
        """`first` (a style sheet), the controls in a row that wraps, the drawing, its text."""
        rows: list[Any] = [first]
        if self.controls:
            rows.append(
                W.HBox(
                    self.controls,
                    layout=W.Layout(flex_flow="row wrap", align_items="center", width="100%"),
                )
            )
        rows += [drawing, self.alt]
        box = W.VBox(rows, layout=W.Layout(width="100%", max_width="100%", min_width="0"))
        box.add_class(PICTURE_CLASS)
        return box
