"""DenseExplorer: units * (input_dim + 1), live."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from paramlab import formulas as F
from paramlab.explorers._base import Explorer, Reading, checkbox, int_slider


class DenseExplorer(Explorer):
    """Sliders for `units` and `input_dim` (features on the last axis) and a `use_bias` box."""

    def __init__(self, units: int = 10, input_dim: int = 784, use_bias: bool = True) -> None:
        self._initial = (units, input_dim, use_bias)
        super().__init__()

    def controls(self) -> dict[str, W.ValueWidget]:
        units, input_dim, use_bias = self._initial
        return {
            "units": int_slider(units, 1, 1024, "units"),
            "input_dim": int_slider(input_dim, 1, 1024, "input_dim"),
            "use_bias": checkbox(use_bias, "use_bias"),
        }

    def read(self, values: dict[str, Any]) -> Reading:
        units, n, bias = values["units"], values["input_dim"], values["use_bias"]
        b = F.dense(units, n, use_bias=bias)
        per_unit = f"{n} weights + 1 bias" if bias else f"{n} weights, no bias"
        extra = (
            f"Output shape: (batch, {units})",
            f"Each of the {units} units sees all {n} inputs: {per_unit}.",
        )
        return Reading(
            heading=f"Dense(units={units}, use_bias={bias}) on input (batch, {n})",
            breakdown=b,
            extra=extra,
            kind="Dense",
            config={"units": units, "use_bias": bias},
            input_shape=(None, n),
        )
