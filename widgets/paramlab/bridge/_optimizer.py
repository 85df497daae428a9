"""The model's optimizer in `explain(model)`: what `model.summary()` adds as "Optimizer params"
once the optimizer is built, by formula (chosen by class in `_adapters/optimizers.py`), checked
variable by variable against `model.optimizer.variables`. An optimizer with no formula is
counted from its variables, with a note that no formula explains them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial
from typing import Any

import keras

from paramlab.bridge._adapters.optimizers import built_for, reader_for
from paramlab.bridge.report import OptimizerRow
from paramlab.core.formulas.optimizers import OptimizerVariables, dtype_bits


def keras_bytes(variables: Sequence[Any]) -> float:
    """Their size as `model.summary()` computes it: each variable once, bits of its dtype / 8."""
    unique = {id(v): v for v in variables}.values()
    bits = sum(
        math.prod(v.shape) * dtype_bits(keras.backend.standardize_dtype(v.dtype)) for v in unique
    )
    return bits / 8


def _matches(formula: OptimizerVariables, variables: list[Any]) -> bool:
    """Each formula variable pairs with a Keras variable of the same name and shape, none left."""
    from paramlab.bridge._explain import same_weight_name  # _explain imports this module

    pool = list(variables)
    for v in formula.variables:
        for i, k in enumerate(pool):
            if same_weight_name(k.name, v.name) and tuple(k.shape) == v.shape:
                del pool[i]
                break
        else:
            return False
    return not pool


def optimizer_row(model: Any) -> OptimizerRow | None:
    """The optimizer of a compiled model (None for a layer or an uncompiled model): not built
    yet, or its variables counted as Keras counts them and explained by formula if one applies."""
    optimizer = getattr(model, "optimizer", None) if isinstance(model, keras.Model) else None
    if optimizer is None:
        return None
    class_name = type(optimizer).__name__
    if not optimizer.built:
        return OptimizerRow(class_name, optimizer.name, built=False)
    variables = list(optimizer.variables)
    model_bytes = keras_bytes(model.trainable_weights) + keras_bytes(model.non_trainable_weights)
    row = partial(
        OptimizerRow,
        class_name,
        optimizer.name,
        built=True,
        total=sum(math.prod(v.shape) for v in variables),
        bytes=keras_bytes(variables),
        model_bytes=model_bytes,
    )
    found = reader_for(optimizer)
    if found is None:
        return row(note=f"no formula for {class_name}; its count is read from its variables")
    try:
        formula = found[1](optimizer)
    except (ValueError, TypeError) as err:
        return row(note=f"the formula refused this optimizer: {err}")
    if formula is None:  # a LossScaleOptimizer around an optimizer with no formula
        inner = type(optimizer.inner_optimizer).__name__
        return row(note=f"no formula for {inner} inside it; its count is read from its variables")
    if not _matches(formula, variables):
        return row(
            note=f"the {found[0].__name__} formula ({formula.formula}) does not match the "
            f"{len(variables)} variables Keras built; the count is read from them"
        )
    notes = [*formula.notes, *_rebuilt_note(model, optimizer)]
    return row(explained=True, variables=formula, note="; ".join(notes))


def _rebuilt_note(model: Any, optimizer: Any) -> list[str]:
    """A note when the model now trains other weights than the optimizer was built for."""
    weights = built_for(getattr(optimizer, "inner_optimizer", optimizer))
    if {id(w) for w in weights} == {id(w) for w in model.trainable_weights}:
        return []
    then = sum(math.prod(w.shape) for w in weights)
    now = sum(math.prod(w.shape) for w in model.trainable_weights)
    return [
        f"the optimizer was built for {then:,} trainable parameters, the model trains "
        f"{now:,} now (a `trainable` flag changed since); compile again to rebuild it"
    ]
