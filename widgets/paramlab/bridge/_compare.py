"""`compare(a, b)`: two Keras models (or layers) side by side, built on `explain`'s rows.

Each model is explained once (`explain`), and the rows are then matched: first by name (a
row's name is its path, `block/dense` inside a nested model, so nested rows match by path),
then, among the rows left, in order and by class (`difflib`, so an inserted layer does not shift
the rows after it); rows at the same place whose classes differ pair as a class change, a
parameter-free row only with a parameter-free one. Within a pair the terms are matched by path
and each difference is said in the lesson's factors (`channels 32 -> 64`). Nothing is counted
again here: the totals are explain's, which are Keras' own.

`compare(model, framework="pytorch")` compares a Keras model with its PyTorch port, as
`paramlab.pytorch` counts it (`paramlab.bridge._compare_torch`). The results and their text and
HTML views are in `paramlab.bridge.comparison`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import keras

from paramlab.bridge._compare_torch import versus_pytorch
from paramlab.bridge._explain import explain
from paramlab.bridge.comparison import (
    Comparison,
    MatchedBy,
    RowChange,
    Status,
    TermChange,
    counted,
    totals,
)
from paramlab.bridge.report import Row
from paramlab.core.pytorch import TorchCounts
from paramlab.core.terms import Breakdown, Term, fmt

FRAMEWORKS = ("pytorch",)


def compare(a: Any, b: Any = None, *, framework: str | None = None) -> Comparison:
    """Compare two built Keras models or layers, row by row and term by term (b - a).

    With `framework="pytorch"` instead of `b`, compare the Keras model `a` with its PyTorch
    port: each layer as the torch module a port uses (Dense -> nn.Linear, Conv2D -> nn.Conv2d,
    LSTM / GRU / SimpleRNN (and Bidirectional) -> nn.LSTM / nn.GRU / nn.RNN, BatchNormalization
    -> nn.BatchNorm1d/2d/3d), counted by `paramlab.pytorch`, so a porter sees which rows differ
    and why (LSTM's second bias `bias_hh_l0`, BatchNorm's buffers).
    """
    _check_layer("a", a)
    if framework is not None:
        if b is not None:
            raise ValueError(
                "`compare()` compares `a` with a second Keras model `b`, or with its port to "
                f"another framework (`framework=`), not both. Received: b={_short(b)}, "
                f"framework={framework!r}"
            )
        if framework not in FRAMEWORKS:
            allowed = ", ".join(f"'{f}'" for f in FRAMEWORKS)
            raise ValueError(
                f"Invalid value for argument `framework`. Expected one of {{{allowed}}}. "
                f"Received: framework={framework!r}"
            )
        return versus_pytorch(a, explain(a))
    if b is None:
        raise TypeError(
            "`compare()` needs a second Keras model or layer `b`, or `framework='pytorch'` "
            "to compare `a` with its PyTorch port. Received: b=None"
        )
    _check_layer("b", b)
    ra, rb = explain(a), explain(b)
    return Comparison(
        a_name=ra.name,
        b_name=rb.name,
        rows=tuple(_row_change(x, y, m) for x, y, m in align(ra.rows, rb.rows)),
        a=totals(ra),
        b=totals(rb),
    )


def _short(obj: Any) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_layer(name: str, obj: Any) -> None:
    if not isinstance(obj, keras.layers.Layer):
        hint = ""
        if isinstance(obj, (Breakdown, TorchCounts)) or type(obj).__module__.startswith("torch"):
            hint = " To compare a Keras model with PyTorch: compare(model, framework='pytorch')."
        raise TypeError(
            f"`compare()` expects Keras models or layers.{hint} "
            f"Received: {name}={_short(obj)} (of type {type(obj).__name__})"
        )


# --- Matching rows ---------------------------------------------------------------------------

Pair = tuple[Row | None, Row | None, MatchedBy]


def align(rows_a: Iterable[Row], rows_b: Iterable[Row]) -> list[Pair]:
    """Pair the rows of a and b: by name first, then in order and by class."""
    ra, rb = list(rows_a), list(rows_b)
    common = {r.name for r in ra} & {r.name for r in rb}

    def key(r: Row) -> tuple[str, str]:
        return ("name", r.name) if r.name in common else ("class", r.class_name)

    matcher = SequenceMatcher(None, [key(r) for r in ra], [key(r) for r in rb], autojunk=False)
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [(x, y, _how(x, y)) for x, y in zip(ra[i1:i2], rb[j1:j2], strict=True)]
        else:
            pairs += _pair_block(ra[i1:i2], rb[j1:j2], common)
    return _rejoin(pairs)


def _how(x: Row, y: Row) -> MatchedBy:
    return MatchedBy.NAME if x.name == y.name else MatchedBy.POSITION


def _pair_block(ra: list[Row], rb: list[Row], common: set[str]) -> list[Pair]:
    """Rows at the same place whose classes differ: paired in order, rows with parameters with
    rows with parameters and parameter-free rows with parameter-free ones; a row whose name the
    other model also has waits for its namesake (`_rejoin`)."""
    pairs: list[Pair] = []
    left = [y for y in rb if y.name not in common]
    for x in ra:
        partner = None
        if x.name not in common:
            partner = next((y for y in left if (y.total > 0) == (x.total > 0)), None)
        if partner is None:
            pairs.append((x, None, MatchedBy.NONE))
        else:
            left.remove(partner)
            pairs.append((x, partner, MatchedBy.POSITION))
    pairs += [(None, y, MatchedBy.NONE) for y in rb if y.name in common or y in left]
    return pairs


def _rejoin(pairs: list[Pair]) -> list[Pair]:
    """A row of a and a row of b with the same name that the order kept apart (the layers
    moved): paired by name, where a's row stands."""
    only_b = {y.name: y for x, y, _ in pairs if x is None and y is not None}
    joined = {x.name for x, y, _ in pairs if y is None and x is not None and x.name in only_b}
    out: list[Pair] = []
    for x, y, how in pairs:
        if x is not None and y is None and x.name in joined:
            out.append((x, only_b[x.name], MatchedBy.NAME))
        elif x is None and y is not None and y.name in joined:
            continue
        else:
            out.append((x, y, how))
    return out


# --- Changes within a pair -------------------------------------------------------------------


def _row_change(x: Row | None, y: Row | None, how: MatchedBy) -> RowChange:
    if y is None:
        assert x is not None
        terms = _terms(x.class_name, x.terms, counted(x), (), [])
        return RowChange(x, None, Status.ONLY_A, MatchedBy.NONE, terms, note=_shared_note(x))
    if x is None:
        terms = _terms(y.class_name, (), [], y.terms, counted(y))
        return RowChange(None, y, Status.ONLY_B, MatchedBy.NONE, terms, note=_shared_note(y))
    layer = x.class_name if x.class_name == y.class_name else f"{x.class_name} -> {y.class_name}"
    terms = _terms(layer, x.terms, counted(x), y.terms, counted(y))
    differ = terms or x.class_name != y.class_name or _counts(x) != _counts(y)
    status = Status.CHANGED if differ else Status.UNCHANGED
    why = f"class {layer}" if x.class_name != y.class_name else ""
    note = "; ".join(n for n in (_shared_note(x), _shared_note(y)) if n)
    return RowChange(x, y, status, how, terms, why=why, note=note)


def _counts(r: Row) -> tuple[int, int, int]:
    return (r.total, r.trainable, r.non_trainable)


def _shared_note(row: Row) -> str:
    """A row whose terms add up to more than it counts, with no term saying why (a layer
    without a formula holding a weight of an earlier one)."""
    extra = sum(counted(row)) - row.total
    if extra <= 0:
        return ""
    return (
        f"{row.name}: {fmt(extra)} parameters of its weights are counted in an earlier row; "
        "its terms add up to more than its count"
    )


@dataclass
class _Pool:
    """Terms by path, taken in order: two weights may share a name in a layer without formula."""

    items: list[tuple[Term, int]]

    def take(self, path: str) -> tuple[Term, int] | None:
        for i, (t, _) in enumerate(self.items):
            if t.path == path:
                return self.items.pop(i)
        return None


def _terms(
    layer: str, ta: tuple[Term, ...], ca: list[int], tb: tuple[Term, ...], cb: list[int]
) -> tuple[TermChange, ...]:
    """Every term that differs: by path, a's order first, then the terms only b has."""
    pool = _Pool(list(zip(tb, cb, strict=True)))
    out = []
    for x, nx in zip(ta, ca, strict=True):
        found = pool.take(x.path)
        if found is None:
            out.append(_change(layer, x, nx, None, 0))
            continue
        y, ny = found
        if (x.shape, x.factors, x.trainable, nx) != (y.shape, y.factors, y.trainable, ny):
            out.append(_change(layer, x, nx, y, ny))
    out += [_change(layer, None, 0, y, ny) for y, ny in pool.items]
    return tuple(out)


def _change(layer: str, x: Term | None, nx: int, y: Term | None, ny: int) -> TermChange:
    if x is None:
        assert y is not None
        why = f"only in b: {y.formula}"
        return TermChange(layer, None, y, 0, ny, why, why + _shared(y, ny))
    if y is None:
        why = f"only in a: {x.formula}"
        return TermChange(layer, x, None, nx, 0, why, why + _shared(x, nx))
    parts = []
    if x.factors != y.factors:
        parts.append(factor_change(x, y))
    if x.trainable != y.trainable:
        parts.append(f"{_trainability(x)} -> {_trainability(y)}")
    if _is_shared(x, nx) != _is_shared(y, ny):
        parts.append("now counted in an earlier row" if _is_shared(y, ny) else "no longer shared")
    why = ", ".join(parts)
    how = f"{why}: {y.formula}" if x.factors != y.factors else why
    return TermChange(layer, x, y, nx, ny, why, how)


def _is_shared(t: Term, n: int) -> bool:
    return n == 0 and t.count > 0


def _shared(t: Term, n: int) -> str:
    return " (shared: counted in an earlier row)" if _is_shared(t, n) else ""


def _trainability(t: Term) -> str:
    return "trainable" if t.trainable else "non-trainable"


def factor_change(x: Term, y: Term) -> str:
    """The factors that differ, in the lesson's symbols: `channels 32 -> 64`; `4 -> 3` for a
    gate count (LSTM -> GRU); the two products when the formula itself differs."""
    if len(x.factors) != len(y.factors):
        return f"{x.symbols} -> {y.symbols}"
    parts = []
    for (sa, va), (sb, vb) in zip(x.factors, y.factors, strict=True):
        if sa == sb and va != vb:
            parts.append(f"{sa} {va} -> {vb}")
        elif sa != sb and sa == str(va) and sb == str(vb):
            parts.append(f"{sa} -> {sb}")  # numbers as symbols: a gate count, a weight's axis
        elif sa != sb:
            parts.append(f"{sa} {va} -> {sb} {vb}")
    return ", ".join(parts)
