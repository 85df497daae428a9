"""How a paramlab widget goes into a notebook: the live widget, plus a static stand-in.

Every explorer, picture and question is displayed as one output bundle holding the live widget
view and, beside it, what a view without a kernel can show: the read-out as plain text (what
nbval compares), an HTML rendering of it, and for a picture a PNG of the figure. The bundle's
metadata carries `STAND_IN_KEY`, so the course's save hook (`paramlab._save_hook`) can drop the
widget view when JupyterLab saves the notebook: a notebook opened again later, with its kernel
gone, then shows the stand-in instead of "Error displaying widget: model not found".

Widget layer: imports ipywidgets and IPython, nothing from explorers, pictures or quiz.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import ipywidgets as W
from IPython.display import display

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STAND_IN_KEY = "paramlab"
STAND_IN_NOTE = "Run this cell to bring back the live widget."


def static_html(text: str, *, title: str = "") -> str:
    """The read-out `text` as HTML that wraps only between words and keeps its line breaks."""
    head = f"<p><b>{html.escape(title)}</b></p>" if title else ""
    body = html.escape(text)
    return (
        "<div class='paramlab-static'>"
        f"{head}<pre style='white-space:pre-wrap;overflow-wrap:normal;word-break:normal;"
        f"margin:0'>{body}</pre>"
        f"<p style='margin:0.3em 0 0 0'><i>{html.escape(STAND_IN_NOTE)}</i></p></div>"
    )


def stand_in_bundle(
    text: str, *, html_text: str | None = None, png: bytes | None = None
) -> dict[str, Any]:
    """The static part of a display bundle: text/plain always, text/html and image/png if given."""
    bundle: dict[str, Any] = {"text/plain": text}
    if html_text is not None:
        bundle["text/html"] = html_text
    if png is not None:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


def show(
    box: W.Widget,
    text: str,
    *,
    html_text: str | None = None,
    png: bytes | None = None,
    alt: str = "",
) -> None:
    """Display the live widget `box` with its static stand-in (see the module docstring)."""
    bundle = box._repr_mimebundle_() or {}
    bundle.update(stand_in_bundle(text, html_text=html_text, png=png))
    metadata: dict[str, Any] = {STAND_IN_KEY: {"stand_in": True}}
    if png is not None and alt:
        metadata["image/png"] = {"alt": alt}
    display(bundle, metadata=metadata, raw=True)


def display_with_text(box: W.Widget, text: str) -> None:
    """Show the widget with `text` as its plain-text form and a readable HTML stand-in."""
    show(box, text, html_text=static_html(text))
