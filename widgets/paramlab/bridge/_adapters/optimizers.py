"""Adapters from built Keras optimizers to `paramlab.core.formulas.optimizers`: each reads the
optimizer's arguments that change its variables, and the weights it was built for.

The formula is chosen by class, along `type(optimizer).__mro__`: each class the core names in
`OPTIMIZERS` is `keras.optimizers.<that exact name>`, and `LossScaleOptimizer` (mixed
precision) wraps the formula of its inner optimizer. A subclass gets its parent's formula (a
subclass that adds variables then shows as a mismatch, never as a silent miscount).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import keras

from paramlab.core.formulas import optimizers as F
from paramlab.core.formulas.optimizers import OptimizerVariables

Reader = Callable[[Any], OptimizerVariables | None]


def built_for(optimizer: Any) -> list[Any]:
    """The trainable variables the optimizer was built for (`build` keeps them)."""
    return list(getattr(optimizer, "_trainable_variables", None) or [])


def _options(optimizer: Any, keras_class: str) -> dict[str, Any]:
    """The arguments that change the variables, as the optimizer holds them."""
    options: dict[str, Any] = {"name": optimizer.name}
    for option in F.SHAPING[keras_class]:
        if option == "learning_rate":
            rate = optimizer._learning_rate  # a Variable, or a schedule or a callable
            is_variable = isinstance(rate, keras.Variable)
            options[option] = float(keras.ops.convert_to_numpy(rate)) if is_variable else rate
        else:
            options[option] = getattr(optimizer, option)
    return options


def _formula(optimizer: Any, keras_class: str) -> OptimizerVariables:
    weights = built_for(optimizer)
    # The slots take their weight's dtype; Nadam's product takes the first weight's.
    dtype = weights[0].dtype if weights else keras.backend.floatx()
    return F.optimizer_variables(
        keras_class,
        {w.path: tuple(int(d) for d in w.shape) for w in weights},
        dtype=keras.backend.standardize_dtype(dtype),
        int_dtype=keras.backend.standardize_dtype("int"),
        **_options(optimizer, keras_class),
    )


def _loss_scale(optimizer: Any) -> OptimizerVariables | None:
    inner = variables_by_formula(optimizer.inner_optimizer)
    if inner is None:
        return None
    int_dtype = keras.backend.standardize_dtype("int")
    return F.loss_scale_optimizer(inner, name=optimizer.name, int_dtype=int_dtype)


# Optimizer class -> its reader; each class named exactly as the core names its formula.
_READERS: dict[type, Reader] = {
    keras.optimizers.LossScaleOptimizer: _loss_scale,
    **{getattr(keras.optimizers, c): partial(_formula, keras_class=c) for c in F.OPTIMIZERS},
}


def reader_for(optimizer: Any) -> tuple[type, Reader] | None:
    """The nearest class in `type(optimizer).__mro__` with a formula, and its reader."""
    for cls in type(optimizer).__mro__:
        if cls in _READERS:
            return cls, _READERS[cls]
    return None


def variables_by_formula(optimizer: Any) -> OptimizerVariables | None:
    """The formula's variables for a built optimizer; None when no class in its MRO has one
    (or, for a LossScaleOptimizer, none for the optimizer inside it)."""
    found = reader_for(optimizer)
    return None if found is None else found[1](optimizer)
