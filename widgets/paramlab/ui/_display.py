"""How a paramlab widget goes into a notebook: the live widget, plus a static stand-in.

Every explorer, picture and question is displayed as one output bundle holding the live widget
view and, beside it, what a view without a kernel can show: the read-out as plain text (what
nbval compares), an HTML rendering of it, and for a picture a PNG (for a sliding window, a
filmstrip of its telling positions). A view picks the richest type it can render: JupyterLab's
widget manager ranks the widget view first (rank -10; text/html is 50) for the trusted output
of a cell just run; nbconvert, nbviewer and GitHub skip the view and take text/html. So a
picture's text/html is the PNG itself, as `<img alt="..." src="data:image/png;base64,...">`
(nbconvert's default `lab` template ignores an alt given in metadata only), and image/png stays
beside it for LaTeX/PDF export. The bundle's metadata carries `STAND_IN_KEY`
(`paramlab.ui._stand_in`), so the course's save hook (`paramlab.ui._save_hook`) can drop the
widget view when JupyterLab saves the notebook: a notebook opened again later, with its kernel
gone, then shows the stand-in instead of "Error displaying widget: model not found".

Widget layer: imports ipywidgets and IPython, nothing from explorers, pictures or questions.
`full_course_link()` is the one way a widget without Keras (the browser edition) links to the
full course.
"""

from __future__ import annotations

import base64
import html
from typing import Any

import ipywidgets as W
from IPython.display import display

from paramlab.core import links
from paramlab.records._progress import UNKNOWN_NOTEBOOK, current_notebook
from paramlab.ui._stand_in import STAND_IN_KEY

SET_UP_FIRST = "run the set-up cell at the top of this notebook first (or Run All)"
"""How to bring a saved notebook's widgets back: its own cell alone fails (no `paramlab` yet)."""
STAND_IN_NOTE = (
    f"A still copy, as the cell first showed it. To get the live widget back, {SET_UP_FIRST}, "
    "then this cell: it starts afresh from the settings in its code."
)


def full_course_link() -> str | None:
    """The full course's Binder link to the notebook this kernel runs (`paramlab.core.links`:
    None unless the browser edition named the course's remote)."""
    notebook = current_notebook()
    return links.full_course_link(None if notebook == UNKNOWN_NOTEBOOK else notebook)


def image_html(png: bytes, alt: str) -> str:
    """`png` as an HTML image with `alt` as its text alternative, then the note to run the cell.
    The same bytes and alt always give the same HTML (nbval compares text/html)."""
    data = base64.b64encode(png).decode("ascii")
    return (
        "<div class='paramlab-static'>"
        f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}" '
        "style='max-width:100%;height:auto'>"
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
    question: dict[str, Any] | None = None,
) -> None:
    """Display the live widget `box` with its static stand-in (see the module docstring).

    With a `png` and no `html_text`, the HTML stand-in is the image with `alt` as its alt text.
    A question's `question` (its kind, text and answer keys) goes into the output's metadata,
    never on screen: the save hook reads it to show the learner's record, tests to find an
    answer shown too early.
    """
    if png is not None and html_text is None:
        html_text = image_html(png, alt or text)
    bundle = box._repr_mimebundle_() or {}
    bundle.update(stand_in_bundle(text, html_text=html_text, png=png))
    metadata: dict[str, Any] = {STAND_IN_KEY: {"stand_in": True}}
    if question is not None:
        metadata[STAND_IN_KEY]["question"] = question
    if png is not None and alt:
        metadata["image/png"] = {"alt": alt}
    display(bundle, metadata=metadata, raw=True)
