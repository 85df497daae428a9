"""LoRA (`layer.enable_lora(rank)`): the kernel freezes and two small trainable factors appear."""

from __future__ import annotations

import math
from dataclasses import replace

from paramlab.core import _checks
from paramlab.core.terms import Term, term


def with_lora(base: Term, rank: int | None, *, prefix: str = "lora_kernel") -> tuple[Term, ...]:
    """`base` frozen plus `{prefix}_a` of shape base.shape[:-1] + (rank,) and `{prefix}_b`."""
    if rank is None:
        return (base,)
    r = _checks.positive("lora_rank", rank)
    lead, out = base.shape[:-1], base.shape[-1]
    lead_n = math.prod(lead)
    frozen = replace(base, trainable=False, note="frozen by LoRA: only the two factors train")
    a = term(f"{prefix}_a", (*lead, r), [(_lead_symbol(base), lead_n), ("rank", r)])
    last_symbol = base.factors[-1][0] if base.factors[-1][1] == out else "outputs"
    b = term(f"{prefix}_b", (r, out), [("rank", r), (last_symbol, out)])
    return (frozen, a, b)


def _lead_symbol(base: Term) -> str:
    """The symbols of every factor but the last: the part of the kernel LoRA keeps as rows."""
    symbols = [s for s, _ in base.factors[:-1]]
    return " * ".join(symbols) if len(symbols) == 1 else f"({' * '.join(symbols)})"
