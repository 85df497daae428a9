"""paramlab: why Keras reports the parameter counts it does.

The formula engine (`paramlab.formulas`, `paramlab.shapes`) is pure arithmetic and loads at
once; `explain` (keras) and the widgets (ipywidgets, matplotlib) load on first use, from the
one mapping `_LAZY` (the pattern of scientific-python's SPEC 1 and `lazy_loader.attach`).
"""

from __future__ import annotations

import importlib
from typing import Any

from paramlab import formulas, shapes
from paramlab.report import Report, Row
from paramlab.shapes import (
    OutputLength,
    conv_output_length,
    conv_transpose_output_length,
    pool_output_length,
)
from paramlab.terms import Breakdown, Term

# Each public name loaded on first use -> the module that defines it; the one list of them.
_LAZY = {
    "explain": "paramlab._explain",
    "BatchNormExplorer": "paramlab.explorers",
    "Conv1DExplorer": "paramlab.explorers",
    "Conv2DExplorer": "paramlab.explorers",
    "DenseExplorer": "paramlab.explorers",
    "RecurrentExplorer": "paramlab.explorers",
    "ConfusionPicture": "paramlab.pictures",
    "Conv1DPicture": "paramlab.pictures",
    "Conv2DPicture": "paramlab.pictures",
    "Choice": "paramlab.choice",
    "Predict": "paramlab.predict",
    "Quiz": "paramlab.quiz",
    "setup_notebook": "paramlab.notebook",
    "progress": "paramlab.progress_report",
    "ProgressReport": "paramlab.progress_report",
    "room": "paramlab.room_report",
}

__all__ = [
    "Breakdown",
    "OutputLength",
    "Report",
    "Row",
    "Term",
    "conv_output_length",
    "conv_transpose_output_length",
    "formulas",
    "pool_output_length",
    "shapes",
    *_LAZY,
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'paramlab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
