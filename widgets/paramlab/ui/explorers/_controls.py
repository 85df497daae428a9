"""Controls keyed by Keras argument name, made from the arguments a learner passed.

Each factory checks its argument first, in Keras' voice (what is wrong, then `Received: ...`),
and honours it: a slider's range grows to include an explicit value beyond its usual maximum,
so an explorer never shows anything but what it was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as W

from paramlab.core import _checks

STYLE = {"description_width": "initial"}


def _layout() -> W.Layout:
    """No fixed width: a control may shrink to the notebook's width; a margin parts the row."""
    return W.Layout(max_width="100%", margin="2px 16px 2px 0")


def int_slider(name: str, value: Any, high: int, *, description: str = "") -> W.IntSlider:
    """A slider from 1 to `high` (or to `value`, if the learner asked for more)."""
    n = _checks.positive(name, value)
    return W.IntSlider(
        value=n,
        min=1,
        max=max(high, n),
        description=description or name,
        continuous_update=True,
        style=STYLE,
        layout=_layout(),
    )


def checkbox(name: str, value: Any, *, description: str = "") -> W.Checkbox:
    """A box for a bool argument; 0, 1, strings and None are refused with a TypeError."""
    return W.Checkbox(
        value=_checks.flag(name, value),
        description=description or name,
        indent=False,
        style=STYLE,
        layout=_layout(),
    )


def choose(name: str, value: Any, options: Sequence[str]) -> str:
    """The option `value` names (case-insensitive, as Keras reads 'SAME'), or a ValueError
    listing the allowed ones."""
    if isinstance(value, str):
        for option in options:
            if option.lower() == value.lower():
                return option
    allowed = ", ".join(f"'{o}'" for o in options)
    raise ValueError(
        f"Invalid value for argument `{name}`. Expected one of {{{allowed}}}. "
        f"Received: {name}={value!r}"
    )


def dropdown(name: str, value: Any, options: Sequence[str], *, description: str = "") -> W.Dropdown:
    return W.Dropdown(
        value=choose(name, value, options),
        options=list(options),
        description=description or name,
        style=STYLE,
        layout=_layout(),
    )
