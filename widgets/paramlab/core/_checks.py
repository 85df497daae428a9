"""Argument checks that speak in Keras' voice: what is wrong, then `Received: name=value`."""

from __future__ import annotations

import numbers
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def integer(name: str, value: Any) -> int:
    """`value` as an int; TypeError for bools, floats, strings and the like."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"The argument `{name}` must be an integer. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    return int(value)


def positive(name: str, value: Any) -> int:
    """A strictly positive integer."""
    n = integer(name, value)
    if n <= 0:
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected a strictly positive integer. "
            f"Received: {name}={value!r}"
        )
    return n


def _is_numpy_bool(value: Any) -> bool:
    """Whether `value` is numpy's bool. numpy is never imported here: if it is not loaded, no
    numpy bool can exist (the browser edition has no numpy at all)."""
    numpy = sys.modules.get("numpy")
    return numpy is not None and isinstance(value, numpy.bool_)


def flag(name: str, value: Any) -> bool:
    """A real bool (numpy bools too); 0, 1 and strings are refused."""
    if not (isinstance(value, bool) or _is_numpy_bool(value)):
        raise TypeError(
            f"The argument `{name}` must be True or False. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    return bool(value)


def choice(name: str, value: Any, options: Sequence[str]) -> str:
    """One of the allowed strings (case-insensitive, as Keras accepts 'SAME')."""
    if not isinstance(value, str) or value.lower() not in options:
        allowed = ", ".join(f"'{o}'" for o in options)
        raise ValueError(
            f"Invalid value for argument `{name}`. Expected one of {{{allowed}}}. "
            f"Received: {name}={value!r}"
        )
    return value.lower()


def int_tuple(name: str, value: Any, rank: int, *, allow_zero: bool = False) -> tuple[int, ...]:
    """An int or a tuple of `rank` ints, as Keras' `standardize_tuple` accepts."""
    items: Iterable[Any]
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        items = (value,) * rank
    elif isinstance(value, (tuple, list)):
        if len(value) != rank:
            raise ValueError(
                f"The `{name}` argument must be a tuple of {rank} integers. "
                f"Received: {name}={value!r}"
            )
        items = value
    else:
        raise TypeError(
            f"The `{name}` argument must be an integer or a tuple of {rank} integers. "
            f"Received: {name}={value!r} (of type {type(value).__name__})"
        )
    out = tuple(integer(name, v) for v in items)
    low = 0 if allow_zero else 1
    if any(v < low for v in out):
        kind = "non-negative" if allow_zero else "strictly positive"
        raise ValueError(
            f"The `{name}` argument must contain only {kind} integers. Received: {name}={value!r}"
        )
    return out


def divides(groups_name: str, groups: int, what: str, total: int) -> None:
    """`groups` must divide `total` evenly (Keras' grouped-convolution rule)."""
    if total % groups:
        raise ValueError(
            f"The number of {what} must be evenly divisible by the number of groups. "
            f"Received: {groups_name}={groups}, {what.replace(' ', '_')}={total}"
        )
