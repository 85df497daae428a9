"""DenseExplorer: units * (input_dim + 1), live."""

from __future__ import annotations

from functools import partial
from typing import Any

from paramlab.core import formulas as F
from paramlab.core.terms import counted, fmt
from paramlab.ui.explorers._base import Explorer, Reading
from paramlab.ui.explorers._controls import checkbox, int_slider

MAX_UNITS = 1024
MAX_INPUT = 1024


def _keras_dense(**config: Any) -> Any:
    from keras import layers

    return layers.Dense(**config)


class DenseExplorer(Explorer):
    """Sliders for `units` and `input_dim` (features on the last axis) and a `use_bias` box."""

    def __init__(self, units: int = 10, input_dim: int = 784, use_bias: bool = True) -> None:
        super().__init__(
            controls={
                "units": int_slider("units", units, MAX_UNITS),
                "input_dim": int_slider("input_dim", input_dim, MAX_INPUT),
                "use_bias": checkbox("use_bias", use_bias),
            }
        )

    def read(self, *, units: int, input_dim: int, use_bias: bool) -> Reading:
        b = F.dense(units, input_dim, use_bias=use_bias)
        weights = counted(input_dim, "weight")
        per_unit = f"{weights} + 1 bias" if use_bias else f"{weights}, no bias"
        return Reading(
            heading=f"Dense(units={units}, use_bias={use_bias}) on input (batch, {input_dim})",
            breakdown=b,
            extra=(
                f"Output shape: (batch, {units})",
                f"{'The one unit' if units == 1 else f'Each of the {fmt(units)} units'} sees "
                f"{'its one input' if input_dim == 1 else f'all {fmt(input_dim)} inputs'}: "
                f"{per_unit}.",
            ),
            layer=partial(_keras_dense, units=units, use_bias=use_bias),
            input_shape=(None, input_dim),
        )
