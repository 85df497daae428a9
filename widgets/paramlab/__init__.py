"""paramlab: why Keras reports the parameter counts it does.

The package's folders are its layers, imported in one direction only:
`core` (pure arithmetic: formulas, shapes, slips, PyTorch's counts) -> `bridge` (`explain`, which
imports keras) -> `ui` (explorers, pictures, questions: ipywidgets, matplotlib); `records` (a
learner's progress, a room's slips) is pure and used by the questions.

The pure core loads at once and its public modules are attributes here (`paramlab.formulas`,
`paramlab.shapes`, `paramlab.pytorch`, `paramlab.slips`); `explain` and the widgets load on first
use, from the one mapping `_LAZY` (the pattern of scientific-python's SPEC 1 and
`lazy_loader.attach`).
"""

from __future__ import annotations

import importlib
from typing import Any

from paramlab.bridge.report import Report, Row
from paramlab.core import formulas, pytorch, shapes, slips
from paramlab.core.shapes import (
    OutputLength,
    conv_output_length,
    conv_transpose_output_length,
    pool_output_length,
)
from paramlab.core.terms import Breakdown, Family, Term

# Each public name loaded on first use -> the module that defines it; the one list of them.
_LAZY = {
    "explain": "paramlab.bridge._explain",
    "compare": "paramlab.bridge._compare",
    "BatchNormExplorer": "paramlab.ui.explorers",
    "Conv1DExplorer": "paramlab.ui.explorers",
    "Conv2DExplorer": "paramlab.ui.explorers",
    "DenseExplorer": "paramlab.ui.explorers",
    "RecurrentExplorer": "paramlab.ui.explorers",
    "TransformerExplorer": "paramlab.ui.explorers",
    "AttentionPicture": "paramlab.ui.pictures",
    "ConfusionPicture": "paramlab.ui.pictures",
    "Conv1DPicture": "paramlab.ui.pictures",
    "Conv2DPicture": "paramlab.ui.pictures",
    "Choice": "paramlab.ui.questions.choice",
    "Predict": "paramlab.ui.questions.predict",
    "Quiz": "paramlab.ui.questions.quiz",
    "setup_notebook": "paramlab.ui.notebook",
    "progress": "paramlab.records.progress_report",
    "ProgressReport": "paramlab.records.progress_report",
    "room": "paramlab.records.room_report",
}

__all__ = [
    "Breakdown",
    "Family",
    "OutputLength",
    "Report",
    "Row",
    "Term",
    "conv_output_length",
    "conv_transpose_output_length",
    "formulas",
    "pool_output_length",
    "pytorch",
    "shapes",
    "slips",
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
