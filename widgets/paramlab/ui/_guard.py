"""The one guard around a widget's callbacks: an unexpected error (a bug, not a learner's slip)
is said in the widget, in one wording, and logged; it is never raised into the kernel, where
its traceback would reach no learner (ipywidgets sends it to JupyterLab's log console).

Explorers, pictures and questions all use it: "Something went wrong <doing> (<error>). Please
try again or tell your instructor."
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

log = logging.getLogger(__name__)

SORRY = "Please try again or tell your instructor."
DETAIL_LENGTH = 120  # characters of the error shown, at most

T = TypeVar("T")


def went_wrong(doing: str, err: BaseException) -> str:
    """What a learner reads when a callback fails: what failed, the error in brief (its first
    line, cut to `DETAIL_LENGTH`), what to do."""
    lines = str(err).splitlines()
    detail = f"{type(err).__name__}: {lines[0]}" if lines else type(err).__name__
    if len(detail) > DETAIL_LENGTH:
        detail = detail[: DETAIL_LENGTH - 1] + "…"
    return f"Something went wrong {doing} ({detail}). {SORRY}"


def guarded(doing: str, action: Callable[[], T], show: Callable[[str], T]) -> T:
    """`action()`; if it raises, the error is logged and `show(went_wrong(doing, err))` is
    returned instead."""
    try:
        return action()
    except Exception as err:  # a kernel callback's traceback would reach no learner
        log.exception("paramlab: something went wrong %s", doing)
        return show(went_wrong(doing, err))
