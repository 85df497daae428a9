"""paramlab: why Keras reports the parameter counts it does.

The formula engine (`paramlab.formulas`, `paramlab.shapes`) is pure arithmetic and loads at
once; `explain` (keras) and the widgets (ipywidgets, matplotlib) load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from paramlab import formulas, shapes
from paramlab.report import Report, Row
from paramlab.shapes import (
    OutputLength,
    conv_output_length,
    conv_transpose_output_length,
    pool_output_length,
)
from paramlab.terms import Breakdown, Term

if TYPE_CHECKING:
    from paramlab._explain import explain as explain
    from paramlab.explorers import (
        BatchNormExplorer as BatchNormExplorer,
    )
    from paramlab.explorers import (
        Conv1DExplorer as Conv1DExplorer,
    )
    from paramlab.explorers import (
        Conv2DExplorer as Conv2DExplorer,
    )
    from paramlab.explorers import (
        DenseExplorer as DenseExplorer,
    )
    from paramlab.explorers import (
        RecurrentExplorer as RecurrentExplorer,
    )
    from paramlab.notebook import setup_notebook as setup_notebook
    from paramlab.pictures import (
        ConfusionPicture as ConfusionPicture,
    )
    from paramlab.pictures import (
        Conv1DPicture as Conv1DPicture,
    )
    from paramlab.pictures import (
        Conv2DPicture as Conv2DPicture,
    )
    from paramlab.quiz import Quiz as Quiz

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
    "Quiz": "paramlab.quiz",
    "setup_notebook": "paramlab.notebook",
}

__all__ = [
    "BatchNormExplorer",
    "Breakdown",
    "ConfusionPicture",
    "Conv1DExplorer",
    "Conv1DPicture",
    "Conv2DExplorer",
    "Conv2DPicture",
    "DenseExplorer",
    "OutputLength",
    "Quiz",
    "RecurrentExplorer",
    "Report",
    "Row",
    "Term",
    "conv_output_length",
    "conv_transpose_output_length",
    "explain",
    "formulas",
    "pool_output_length",
    "setup_notebook",
    "shapes",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'paramlab' has no attribute {name!r}")
