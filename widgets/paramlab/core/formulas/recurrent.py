"""Recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM, stacked cells.

Every gate is a Dense layer on the concatenation [h, x]: `units * (units + input_dim) + units`
numbers. SimpleRNN has one such block, GRU three, LSTM four. Keras stores the blocks side by
side: kernel (input_dim, gates * units), recurrent_kernel (units, gates * units), bias.
"""

from __future__ import annotations

from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.terms import Breakdown, Family, Term, fmt, term

GATES = {Family.SIMPLE_RNN: 1, Family.GRU: 3, Family.LSTM: 4}
"""How many gate blocks each recurrent cell keeps side by side: the one table that formulas,
slips and `paramlab.pytorch` read. ConvLSTM's four gates are convolutions, counted apart."""


def _gated(
    kind: Family, units: int, input_dim: int, use_bias: bool, *, reset_after: bool = False
) -> tuple[Term, ...]:
    g = GATES[kind]
    u = _checks.positive("units", units)
    n = _checks.positive("input_dim", input_dim)
    gate = [(str(g), g)] if g > 1 else []
    terms = [
        term("kernel", (n, g * u), [("input_dim", n), *gate, ("units", u)]),
        term("recurrent_kernel", (u, g * u), [("units", u), *gate, ("units", u)]),
    ]
    if _checks.flag("use_bias", use_bias):
        if reset_after:
            terms.append(
                term(
                    "bias",
                    (2, g * u),
                    [("2", 2), *gate, ("units", u)],
                    note="reset_after=True keeps a second bias for the recurrent branch",
                )
            )
        else:
            terms.append(term("bias", (g * u,), [*gate, ("units", u)]))
    return tuple(terms)


def _lesson(kind: Family, terms: tuple[Term, ...], *, reset_after: bool = False) -> str:
    """The count as the lesson writes it: gates * (units * (units + input_dim) + units), plus
    reset_after's second bias. `terms` are checked already: read the sizes from them."""
    n, gu = terms[0].shape
    g = GATES[kind]
    u = gu // g
    bias = len(terms) > 2
    block_s = "units * (units + input_dim)" + (" + units" if bias else "")
    block_v = f"{u} * ({u} + {n})" + (f" + {u}" if bias else "")
    if g > 1:
        block_s, block_v = f"{g} * ({block_s})", f"{g} * ({block_v})"
    if reset_after and bias:
        block_s, block_v = f"{block_s} + {g} * units", f"{block_v} + {g} * {u}"
    return f"{block_s} = {block_v} = {fmt(sum(t.count for t in terms))}"


def simple_rnn(units: int, input_dim: int, *, use_bias: bool = True) -> Breakdown:
    """SimpleRNN: h = act(x W + h U + b): units * (units + input_dim + 1)."""
    kind = Family.SIMPLE_RNN
    terms = _gated(kind, units, input_dim, use_bias)
    return Breakdown("SimpleRNN", terms, family=kind, lesson=_lesson(kind, terms))


def lstm(units: int, input_dim: int, *, use_bias: bool = True) -> Breakdown:
    """LSTM: four gates (input, forget, candidate, output):
    4 * (units * (units + input_dim) + units)."""
    notes = ("four gates (input, forget, candidate, output), each a Dense on [h, x]",)
    terms = _gated(Family.LSTM, units, input_dim, use_bias)
    return Breakdown("LSTM", terms, notes, family=Family.LSTM, lesson=_lesson(Family.LSTM, terms))


def gru(
    units: int, input_dim: int, *, use_bias: bool = True, reset_after: bool = True
) -> Breakdown:
    """GRU: three gates (update, reset, candidate); `reset_after=True` (Keras' default since
    TF 2) keeps separate input and recurrent biases: 3 * units more than `reset_after=False`."""
    after = _checks.flag("reset_after", reset_after)
    notes = ("three gates (update, reset, candidate)",)
    terms = _gated(Family.GRU, units, input_dim, use_bias, reset_after=after)
    lesson = _lesson(Family.GRU, terms, reset_after=after)
    return Breakdown("GRU", terms, notes, family=Family.GRU, lesson=lesson)


def conv_lstm(
    rank: int,
    filters: int,
    kernel_size: int | Sequence[int],
    channels: int,
    *,
    use_bias: bool = True,
) -> Breakdown:
    """ConvLSTM1D/2D/3D: an LSTM whose four gates are convolutions over [h, x]."""
    r = _checks.integer("rank", rank)
    if r not in (1, 2, 3):
        raise ValueError(f"Keras has ConvLSTM1D, ConvLSTM2D and ConvLSTM3D. Received: rank={r}")
    f = _checks.positive("filters", filters)
    c = _checks.positive("channels", channels)
    ks = _checks.int_tuple("kernel_size", kernel_size, r)
    window = list(zip(("kernel_size",) if r == 1 else ("kd", "kh", "kw")[3 - r :], ks, strict=True))
    terms = [
        term("kernel", (*ks, c, 4 * f), [*window, ("channels", c), ("4", 4), ("filters", f)]),
        term(
            "recurrent_kernel", (*ks, f, 4 * f), [*window, ("filters", f), ("4", 4), ("filters", f)]
        ),
    ]
    if _checks.flag("use_bias", use_bias):
        terms.append(term("bias", (4 * f,), [("4", 4), ("filters", f)]))
    notes = ("four gates, each a convolution",)
    return Breakdown(f"ConvLSTM{r}D", tuple(terms), notes, family=Family.CONV_LSTM)


def stacked_cells(cells: Sequence[Breakdown]) -> Breakdown:
    """StackedRNNCells: cells run one after another; cell i's input_dim is cell i-1's units."""
    if not cells:
        raise ValueError("StackedRNNCells needs at least one cell. Received: cells=[]")
    terms = tuple(t for b in cells for t in b.terms)
    notes = tuple(f"cell: {b.layer}" for b in cells)
    return Breakdown("StackedRNNCells", terms, notes, family=Family.STACKED_CELLS)
