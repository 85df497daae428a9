"""Build the real Keras layer an explorer describes, and report what Keras counts.

Part of the explain layer (it imports keras, when a layer is built); the widgets call it to
check their formulas. An explorer says which layer by handing over a function that builds it
(`Reading.layer`): the class is chosen there, in code, never looked up by its name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from paramlab.core.terms import fmt


@dataclass(frozen=True)
class KerasCount:
    """What Keras built: its counts and output shape, or the error text it raised."""

    total: int = 0
    trainable: int = 0
    non_trainable: int = 0
    output_shape: tuple[int | None, ...] | None = None
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def keras_count(layer: Callable[[], Any], input_shape: tuple[int | None, ...]) -> KerasCount:
    """Make the layer with `layer()`, build it on `input_shape` and count its weights as Keras
    does. A refusal (Keras' ValueError or TypeError) is returned as `error`, not raised."""
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


def verdict(count: KerasCount, total: int, trainable: int) -> tuple[str, bool]:
    """The read-out's Keras line, and whether it agrees with the formula."""
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
