"""The classic slips in counting parameters, computed from a Breakdown: the wrong numbers a
learner reaches by forgetting the bias, using the 2-D formula on Conv1D, dropping LSTM's factor
of 4 (GRU's 3), counting BatchNorm's moving statistics as trainable, or leaving out the input
channels. Each message names the slip in the lesson's own formulas, and each slip has a short
stable name (`FORGOTTEN_BIAS`, ...) under which a learner's progress counts it. The slips are
chosen by the breakdown's `family` (and its `wrapped` core's), never by its display label.
Pure: no keras, no widgets.
"""

from __future__ import annotations

from typing import NamedTuple

from paramlab.core.formulas.recurrent import GATES
from paramlab.core.terms import Breakdown, Family, Term, fmt

ASKS = ("total", "trainable", "non_trainable")
_GATE_WORDS = {3: "three gates", 4: "four gates"}

# The names of the classic slips, as a learner's progress lists them.
FORGOTTEN_BIAS = "the forgotten bias"
CONV2D_ON_CONV1D = "the 2-D formula on Conv1D"
FORGOTTEN_CHANNELS = "the forgotten input channels"
MISSING_GATES = "the missing factor of the gates (LSTM's 4, GRU's 3)"
GRU_RESET_AFTER = "GRU counted with reset_after=False"
ONE_DIRECTION = "one direction of Bidirectional"
STATISTICS_TRAINABLE = "BatchNorm's moving statistics counted as trainable"
PYTORCH_BATCH_NORM = "PyTorch's BatchNorm count"


class Slip(NamedTuple):
    """A classic slip: its short stable `name`, the `message` a learner reads once the figure
    may be shown (with the lesson's numbers), and `words`: the same slip named without any
    number, for a first wrong try, so the feedback does not hand over the answer."""

    name: str
    message: str
    words: str


def _add(slips: dict[int, Slip], value: int, slip: Slip, answer: int) -> None:
    if value != answer and value > 0 and value not in slips:
        slips[value] = slip


def _more(n: int) -> str:
    """`32 more parameters`, `1 more parameter`."""
    return f"{fmt(n)} more parameter{'' if n == 1 else 's'}"


def classic_slips(b: Breakdown, ask: str = "total") -> dict[int, str]:
    """Wrong answer -> what went wrong, for the quantity `ask` of breakdown `b`."""
    return {value: slip.message for value, slip in named_slips(b, ask).items()}


def named_slips(b: Breakdown, ask: str = "total") -> dict[int, Slip]:
    """Wrong answer -> the slip (its name and message), for the quantity `ask` of `b`, a
    breakdown from `paramlab.formulas` (the messages speak of Keras' weights)."""
    if ask not in ASKS:
        raise ValueError(f"`ask` must be one of {ASKS}. Received: ask={ask!r}")
    answer = getattr(b, ask)
    slips: dict[int, Slip] = {}
    names = {t.path: t for t in b.terms}
    bias = sum(t.count for t in b.terms if t.name == "bias")
    if bias and ask != "non_trainable":
        bias_slip = Slip(
            FORGOTTEN_BIAS,
            f"That leaves out the bias: {_more(bias)}.",
            "That leaves out the bias: one more number per unit (per filter, per gate).",
        )
        _add(slips, answer - bias, bias_slip, answer)
    if b.family in (Family.CONV1D, Family.CONV2D) and "kernel" in names:
        _conv_slips(slips, b.family, names["kernel"], bias, answer)
    core = b.core
    two_way = b.family is Family.BIDIRECTIONAL
    if GATES.get(core.family, 1) > 1:
        _gate_slips(slips, core, 2 if two_way else 1, answer)
    if two_way and answer % 2 == 0:
        _add(
            slips,
            answer // 2,
            Slip(
                ONE_DIRECTION,
                "That is one direction. Bidirectional runs two copies: "
                "2 * (one direction's count).",
                "That is one direction: Bidirectional runs two copies of the layer.",
            ),
            answer,
        )
    if b.family is Family.BATCH_NORM:
        _batch_norm_slips(slips, b, ask, answer)
    return slips


def _conv_slips(
    slips: dict[int, Slip], family: Family, kernel: Term, bias: int, answer: int
) -> None:
    """Conv1D read with the 2-D formula (with or without channels and bias); the input
    channels left out of any convolution."""
    *window, channels, filters = kernel.shape
    k = window[0]
    with_bias = filters if bias else 0
    if family is Family.CONV1D:
        tail = (
            f"A Conv1D kernel is kernel_size x channels = {k} x {channels}: "
            "it spans every channel but only kernel_size steps."
        )
        for value, what in _two_d_formulas(k, channels, filters, bool(bias)):
            _add(
                slips,
                value,
                Slip(
                    CONV2D_ON_CONV1D,
                    f"That is the 2-D formula {what}. {tail}",
                    "That is the 2-D formula, kernel_size * kernel_size. A Conv1D kernel spans "
                    "kernel_size steps and every input channel.",
                ),
                answer,
            )
    _add(
        slips,
        kernel.count // channels + with_bias,
        Slip(
            FORGOTTEN_CHANNELS,
            f"That leaves out the input channels: every filter spans all {channels} of them.",
            "That leaves out the input channels: every filter spans all of them.",
        ),
        answer,
    )


def _two_d_formulas(k: int, channels: int, filters: int, bias: bool) -> list[tuple[int, str]]:
    """The 2-D formula's wrong counts for a Conv1D, each with how it was written."""
    flat, flat_n = "kernel_size * kernel_size * filters", f"{k} * {k} * {filters}"
    full = "kernel_size * kernel_size * channels * filters"
    full_n = f"{k} * {k} * {channels} * {filters}"
    flat_count, full_count = k * k * filters, k * k * channels * filters
    if not bias:
        return [
            (flat_count, f"{flat} = {flat_n}, without the input channels"),
            (full_count, f"{full} = {full_n}"),
        ]
    return [
        (
            flat_count + filters,
            f"{flat} + filters = {flat_n} + {filters}, without the input channels",
        ),
        (full_count + filters, f"{full} + filters = {full_n} + {filters}"),
        (flat_count, f"{flat} = {flat_n}, with neither the input channels nor the bias"),
        (full_count, f"{full} = {full_n}, without the bias"),
    ]


def _gate_slips(slips: dict[int, Slip], core: Breakdown, copies: int, answer: int) -> None:
    """One gate instead of all of them; GRU counted with reset_after=False. The formulas are
    the lesson's: `4 * (units * (units + input_dim) + units)`, GRU's `3 * (...)` and
    reset_after's extra `3 * units`, Bidirectional's `2 * (...)`."""
    g = GATES[core.family]
    bias = next((t for t in core.terms if t.name == "bias"), None)
    reset_after = core.family is Family.GRU and bias is not None and len(bias.shape) == 2
    block = "units * (units + input_dim)" + ("" if bias is None else " + units")
    formula = f"{g} * ({block})" + (f" + {g} * units" if reset_after else "")
    if copies > 1:
        formula = f"{copies} * ({formula})" if reset_after else f"{copies} * {formula}"
    if answer % g == 0:
        _add(
            slips,
            answer // g,
            Slip(
                MISSING_GATES,
                f"That is one gate's worth. {core.family.value} has {_GATE_WORDS[g]}: "
                f"multiply by {g}, as in {formula}.",
                f"That is one gate's worth: {core.family.value} has {_GATE_WORDS[g]}, each with "
                "its own weights.",
            ),
            answer,
        )
    if reset_after and bias is not None:
        extra = bias.count // 2 * copies
        extra_formula = f"{copies} * {g} * units" if copies > 1 else f"{g} * units"
        _add(
            slips,
            answer - extra,
            Slip(
                GRU_RESET_AFTER,
                f"That is GRU with reset_after=False: {g} * (units * (units + input_dim) + "
                "units). Keras' default, reset_after=True, keeps a second bias per gate: "
                f"{extra_formula} = {_more(extra)}.",
                "That is GRU with reset_after=False. Keras' default, reset_after=True, keeps a "
                "second bias per gate.",
            ),
            answer,
        )


def _batch_norm_slips(slips: dict[int, Slip], b: Breakdown, ask: str, answer: int) -> None:
    """The moving statistics counted as trainable, or not counted at all (PyTorch's count)."""
    stats = sum(t.count for t in b.terms if t.name in ("moving_mean", "moving_variance"))
    if ask == "trainable":
        _add(
            slips,
            answer + stats,
            Slip(
                STATISTICS_TRAINABLE,
                "That counts moving_mean and moving_variance as trainable: they are updated by "
                "running averages, not by gradients.",
                "That counts moving_mean and moving_variance as trainable: they are updated by "
                "running averages, not by gradients.",
            ),
            answer,
        )
    if ask == "total":
        learned = " and ".join(t.name for t in b.terms if t.name in ("gamma", "beta"))
        _add(
            slips,
            answer - stats,
            Slip(
                PYTORCH_BATCH_NORM,
                f"That is PyTorch's count ({learned} only). Keras also counts moving_mean "
                "and moving_variance, as non-trainable parameters.",
                f"That is PyTorch's count ({learned} only). Keras also counts moving_mean "
                "and moving_variance, as non-trainable parameters.",
            ),
            answer,
        )
