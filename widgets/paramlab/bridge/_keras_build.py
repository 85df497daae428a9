"""Build the real Keras layer an explorer describes, and report what Keras counts.

Part of the explain layer (it imports keras, when a layer is built); the widgets call it to
check their formulas. An explorer says which layer by handing over a function that builds it
(`Reading.layer`): the class is chosen there, in code, never looked up by its name.

Where Keras is not installed (the browser edition, on Pyodide) nothing is built: the read-out's
Keras line says that the check runs in the full course, and how to get there.
`keras_available()` is the one place that decides.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from paramlab.core.links import to_full_course
from paramlab.core.terms import fmt

NO_KERAS_HERE = "Keras is not in this browser edition"
KERAS_ELSEWHERE = f"The Keras check runs in the full course ({NO_KERAS_HERE})"


def keras_available() -> bool:
    """Whether Keras can be imported here, found without importing it (importing it takes
    seconds): False in the browser edition, whose Pyodide has no Keras."""
    if sys.modules.get("keras") is not None:
        return True
    try:
        return importlib.util.find_spec("keras") is not None
    except (ImportError, ValueError):  # a finder that refuses it, or a half-made module
        return False


def keras_elsewhere(link: str | None) -> str:
    """The Keras line without Keras: where the check runs, and how to get there (`link`: the
    full course's Binder link for this notebook, if known)."""
    return f"{KERAS_ELSEWHERE}: {to_full_course(link)}."


@dataclass(frozen=True)
class KerasCount:
    """What Keras built: its counts and output shape, or the error text it raised; `absent`
    when there is no Keras here to build it."""

    total: int = 0
    trainable: int = 0
    non_trainable: int = 0
    output_shape: tuple[int | None, ...] | None = None
    error: str = ""
    absent: bool = False

    @property
    def ok(self) -> bool:
        return not self.error and not self.absent


def keras_count(layer: Callable[[], Any], input_shape: tuple[int | None, ...]) -> KerasCount:
    """Make the layer with `layer()`, build it on `input_shape` and count its weights as Keras
    does. A refusal (Keras' ValueError or TypeError) is returned as `error`, not raised.
    Without Keras, `layer` is never called: the count is `absent`."""
    if not keras_available():
        return KerasCount(absent=True)
    try:
        built = layer()
        built.build(input_shape)
        out = built.compute_output_shape(input_shape)
    except (ValueError, TypeError) as err:
        return KerasCount(error=f"{type(err).__name__}: {err}")
    trainable = sum(math.prod(w.shape) for w in built.trainable_weights)
    non_trainable = sum(math.prod(w.shape) for w in built.non_trainable_weights)
    return KerasCount(
        total=int(built.count_params()),
        trainable=trainable,
        non_trainable=non_trainable,
        output_shape=tuple(out),
    )


def shape_text(shape: Sequence[int | None]) -> str:
    """A shape as the read-out writes it: `(None, 1,024)`."""
    items = ["None" if d is None else fmt(int(d)) for d in shape]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def verdict(
    count: KerasCount, total: int, trainable: int, *, link: str | None = None
) -> tuple[str, bool]:
    """The read-out's Keras line, and whether it agrees with the formula. Without Keras
    (`count.absent`) the line says where the check runs (`link`: see `keras_elsewhere`) and
    nothing disagrees."""
    if count.absent:
        return keras_elsewhere(link), True
    if not count.ok:
        return f"Keras refuses this layer: {count.error}", False
    if count.total != total or count.trainable != trainable:
        return (
            f"MISMATCH: Keras builds this layer with {fmt(count.total)} parameters "
            f"({fmt(count.trainable)} trainable) but the formula says {fmt(total)} "
            f"({fmt(trainable)} trainable). Please report this.",
            False,
        )
    shape = shape_text(count.output_shape or ())
    return f"Keras builds this layer: {fmt(count.total)} parameters, output {shape} (checked)", True
