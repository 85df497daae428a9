"""Compare a formula's Breakdown with the weights of a real, built Keras layer."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from paramlab.core.terms import Breakdown


def _name(name: str) -> str:
    """Keras names an unnamed weight 'variable', 'variable_1', ...: compare them as 'variable'."""
    return "variable" if re.fullmatch(r"variable(_\d+)?", name) else name


def weight_signature(layer: Any) -> Counter[tuple[str, tuple[int, ...], bool]]:
    return Counter(
        (_name(w.name), tuple(int(d) for d in w.shape), bool(w.trainable)) for w in layer.weights
    )


def term_signature(b: Breakdown) -> Counter[tuple[str, tuple[int, ...], bool]]:
    return Counter((t.name, t.shape, t.trainable) for t in b.terms)


def assert_matches(b: Breakdown, layer: Any) -> None:
    """Term by term: same weight names, shapes and trainable flags; same totals."""
    assert term_signature(b) == weight_signature(layer), (
        f"\nformula: {sorted(term_signature(b).elements())}"
        f"\nkeras:   {sorted(weight_signature(layer).elements())}"
    )
    assert b.total == layer.count_params()
    assert b.trainable == sum(math.prod(w.shape) for w in layer.trainable_weights)
    assert b.non_trainable == sum(math.prod(w.shape) for w in layer.non_trainable_weights)
    for t in b.terms:
        assert t.count == math.prod(t.shape)
