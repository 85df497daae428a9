"""paramlab: why Keras reports the parameter counts it does.

The formula engine (`paramlab.formulas`, `paramlab.shapes`) is pure arithmetic; `explain`
imports keras on first use, so `import paramlab` stays light.
"""

from __future__ import annotations

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

__all__ = [
    "Breakdown",
    "OutputLength",
    "Report",
    "Row",
    "Term",
    "conv_output_length",
    "conv_transpose_output_length",
    "explain",
    "formulas",
    "pool_output_length",
    "shapes",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name == "explain":
        from paramlab._explain import explain

        return explain
    raise AttributeError(f"module 'paramlab' has no attribute {name!r}")
