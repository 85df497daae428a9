"""Sliding-window pictures, drawn by one of two renderers from the same geometry and words
(`paramlab.ui.pictures._words`, on `paramlab.core.windows`):

- matplotlib figures on ipympl canvases that update their artists in place (the full course);
- SVG in an ipywidgets HTML (`paramlab.ui.pictures.svg`) where matplotlib cannot be imported:
  the browser edition, whose Pyodide has no matplotlib or numpy from the registries the course
  installs from.

The choice is made here, once, by whether matplotlib can be found (never by importing it to
find out), so `paramlab.Conv1DPicture(...)` is the same call in both.
"""

from __future__ import annotations

import importlib.util

from paramlab.core.windows import Frame, filmstrip_positions

try:
    MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
except (ImportError, ValueError):  # a finder that refuses it (the tests' block) says no too
    MATPLOTLIB = False

if MATPLOTLIB:
    from paramlab.ui.pictures.attention import AttentionPicture
    from paramlab.ui.pictures.confusion import ConfusionPicture
    from paramlab.ui.pictures.conv1d import Conv1DPicture
    from paramlab.ui.pictures.conv2d import Conv2DPicture
else:
    from paramlab.ui.pictures.svg import (
        AttentionPicture,
        ConfusionPicture,
        Conv1DPicture,
        Conv2DPicture,
    )

__all__ = [
    "MATPLOTLIB",
    "AttentionPicture",
    "ConfusionPicture",
    "Conv1DPicture",
    "Conv2DPicture",
    "Frame",
    "filmstrip_positions",
]
