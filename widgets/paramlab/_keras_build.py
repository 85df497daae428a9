"""Build the real Keras layer an explorer describes, and report what Keras counts.

Part of the explain layer (it imports keras); the widgets call it to check their formulas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from paramlab.terms import fmt


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


def _layer(kind: str, config: dict[str, Any]) -> Any:
    from keras import layers as L

    classes = {
        "Dense": L.Dense,
        "Conv1D": L.Conv1D,
        "Conv2D": L.Conv2D,
        "SimpleRNN": L.SimpleRNN,
        "LSTM": L.LSTM,
        "GRU": L.GRU,
        "BatchNormalization": L.BatchNormalization,
    }
    if kind not in classes:
        raise ValueError(f"No Keras layer to check for {kind!r}. Received: kind={kind!r}")
    config = dict(config)
    bidirectional = config.pop("bidirectional", False)
    trainable = config.pop("trainable", True)
    layer = classes[kind](**config)
    if bidirectional:
        layer = L.Bidirectional(layer)
    layer.trainable = trainable
    return layer


def keras_count(
    kind: str, config: dict[str, Any], input_shape: tuple[int | None, ...]
) -> KerasCount:
    """Build `kind(**config)` on `input_shape` and count its weights as Keras does."""
    try:
        layer = _layer(kind, config)
        layer.build(input_shape)
        out = layer.compute_output_shape(input_shape)
    except (ValueError, TypeError) as err:
        return KerasCount(error=f"{type(err).__name__}: {err}")
    trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
    non_trainable = sum(math.prod(w.shape) for w in layer.non_trainable_weights)
    return KerasCount(
        total=int(layer.count_params()),
        trainable=trainable,
        non_trainable=non_trainable,
        output_shape=tuple(out),
    )


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
    return (
        f"Keras builds this layer: {fmt(count.total)} parameters, output {count.output_shape} "
        "(checked)",
        True,
    )
