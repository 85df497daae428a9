"""Results of the formula engine: a `Breakdown` of named `Term`s.

Each term is named after the Keras weight it counts (`kernel`, `bias`, `recurrent_kernel`, ...)
and carries its shape as Keras builds it and its formula, in symbols and with numbers filled in.
Pure: imports neither keras nor ipywidgets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

Factor = tuple[str, int]
"""One factor of a term's count: the symbol a learner reads and the number it stands for."""


def fmt(n: int) -> str:
    """An integer with thousands separators: 7200 -> '7,200'."""
    return f"{n:,}"


def counted(n: int, noun: str, plural: str = "") -> str:
    """`n` and its noun, singular for one: counted(1, "step") -> '1 step', (3, ...) -> '3 steps'."""
    return f"{fmt(n)} {noun if n == 1 else plural or noun + 's'}"


class Family(StrEnum):
    """The kind of layer a `Breakdown` counts: what code chooses by, never the display label.

    One member per formula, plain convolutions split by rank (the lessons and their slips tell
    Conv1D from Conv2D). Each value is the Keras class name (or, for a member that covers several
    classes, their common stem), so a control's option such as "LSTM" finds its table entry.
    PyTorch modules take the family of the Keras layer they match: `nn.Linear` is DENSE.
    """

    DENSE = "Dense"
    EINSUM_DENSE = "EinsumDense"
    EMBEDDING = "Embedding"
    REVERSIBLE_EMBEDDING = "ReversibleEmbedding"
    CONV1D = "Conv1D"
    CONV2D = "Conv2D"
    CONV3D = "Conv3D"
    CONV_TRANSPOSE = "ConvTranspose"
    DEPTHWISE_CONV = "DepthwiseConv"
    SEPARABLE_CONV = "SeparableConv"
    SIMPLE_RNN = "SimpleRNN"
    LSTM = "LSTM"
    GRU = "GRU"
    CONV_LSTM = "ConvLSTM"
    STACKED_CELLS = "StackedRNNCells"
    BATCH_NORM = "BatchNormalization"
    LAYER_NORM = "LayerNormalization"
    RMS_NORM = "RMSNormalization"
    GROUP_NORM = "GroupNormalization"
    UNIT_NORM = "UnitNormalization"
    NORMALIZATION = "Normalization"
    MULTI_HEAD_ATTENTION = "MultiHeadAttention"
    GROUPED_QUERY_ATTENTION = "GroupedQueryAttention"
    ATTENTION = "Attention"
    ADDITIVE_ATTENTION = "AdditiveAttention"
    PRELU = "PReLU"
    STFT_SPECTROGRAM = "STFTSpectrogram"
    LAYER_SCALE = "LayerScale"
    PARAMETER_FREE = "ParameterFree"  # Flatten, Dropout, nn.ReLU, ...: no weights
    SEQUENTIAL = "Sequential"  # nn.Sequential
    # The wrappers: each keeps the breakdown it wraps in `wrapped` (RNN: its cell's).
    RNN = "RNN"
    BIDIRECTIONAL = "Bidirectional"
    TIME_DISTRIBUTED = "TimeDistributed"
    SPECTRAL_NORMALIZATION = "SpectralNormalization"


@dataclass(frozen=True)
class Term:
    """One Keras weight: its name, the shape Keras builds, and how its size comes about.

    `factors` multiply to `count`; they are what a learner would write down
    (`kernel_size * channels * filters`), which need not be one factor per axis of `shape`
    (an LSTM kernel of shape `(input_dim, 4 * units)` has the factors input_dim, 4, units).
    `scope` names the sub-layer a weight lives in (`query`, `forward`); empty for the layer itself.
    """

    name: str
    shape: tuple[int, ...]
    factors: tuple[Factor, ...]
    trainable: bool = True
    scope: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if math.prod(self.shape) != math.prod(v for _, v in self.factors):
            raise AssertionError(
                f"Term {self.path!r}: factors {self.values} do not multiply to shape {self.shape}"
            )

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def path(self) -> str:
        """The weight's path inside its layer, as the tail of Keras' `weight.path`."""
        return f"{self.scope}/{self.name}" if self.scope else self.name

    @property
    def symbols(self) -> str:
        return " * ".join(s for s, _ in self.factors) if self.factors else "1"

    @property
    def values(self) -> str:
        return " * ".join(str(v) for _, v in self.factors) if self.factors else "1"

    @property
    def formula(self) -> str:
        """Symbols, numbers and result: `kernel_size * channels * filters = 5 * 45 * 32 = 7,200`."""
        if not self.factors:
            return "1 (a scalar)"
        if len(self.factors) == 1 and self.factors[0][0] == str(self.count):
            return fmt(self.count)
        if len(self.factors) <= 1:
            return f"{self.symbols} = {fmt(self.count)}"
        if self.symbols == self.values:
            return f"{self.values} = {fmt(self.count)}"
        return f"{self.symbols} = {self.values} = {fmt(self.count)}"

    def __str__(self) -> str:
        kind = "" if self.trainable else "  (non-trainable)"
        return f"{self.path} {self.shape}: {self.formula}{kind}"


@dataclass(frozen=True)
class Breakdown:
    """The parameters of one layer, term by term, as a formula computes them.

    `layer` is the display name (`LSTM`, `Bidirectional(LSTM)`), for reading only; `family` is
    what code chooses by. A wrapper (family `BIDIRECTIONAL`, `TIME_DISTRIBUTED`,
    `SPECTRAL_NORMALIZATION`, or `RNN` around a cell) keeps the inner breakdown in `wrapped`
    (Bidirectional's forward layer); `core` follows them to the innermost layer.
    `lesson` is the whole count as the course teaches it, where that differs from the sum of
    the terms (`4 * (units * (units + input_dim) + units) = 4 * (64 * (64 + 6) + 64) = 18,176`);
    `explanation` gives it, or else `expression`.
    """

    layer: str
    family: Family = field(kw_only=True)
    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())
    wrapped: Breakdown | None = None
    lesson: str = ""

    @property
    def explanation(self) -> str:
        """The count as the lesson writes it: `lesson` if the formula gave one, else the sum of
        the terms in symbols and numbers (`expression`)."""
        return self.lesson or self.expression

    @property
    def core(self) -> Breakdown:
        """The innermost wrapped breakdown (`LSTM` for `Bidirectional(LSTM)`); self if none."""
        inner = self
        while inner.wrapped is not None:
            inner = inner.wrapped
        return inner

    @property
    def total(self) -> int:
        return sum(t.count for t in self.terms)

    @property
    def trainable(self) -> int:
        return sum(t.count for t in self.terms if t.trainable)

    @property
    def non_trainable(self) -> int:
        return sum(t.count for t in self.terms if not t.trainable)

    @property
    def term_names(self) -> tuple[str, ...]:
        return tuple(t.path for t in self.terms)

    def __getitem__(self, path: str) -> Term:
        for term in self.terms:
            if term.path == path:
                return term
        raise KeyError(f"{self.layer} has no term {path!r}; it has {list(self.term_names)}")

    @property
    def formula(self) -> str:
        """The sum of the terms, by name and by number: `kernel + bias = 7,200 + 32 = 7,232`
        (numbers only beyond four terms, which are listed one by one anyway)."""
        if not self.terms:
            return "0 (no weights)"
        if len(self.terms) == 1:
            return f"{self.terms[0].path} = {fmt(self.total)}"
        counts = " + ".join(fmt(t.count) for t in self.terms)
        if len(self.terms) > 4:  # the terms are listed one by one anyway
            return f"{counts} = {fmt(self.total)}"
        names = " + ".join(t.path for t in self.terms)
        return f"{names} = {counts} = {fmt(self.total)}"

    @property
    def expression(self) -> str:
        """The whole count in symbols and in numbers:
        `kernel_size * channels * filters + filters = 5 * 45 * 32 + 32 = 7,232`."""
        if not self.terms:
            return "0 (no weights)"
        symbols = " + ".join(t.symbols for t in self.terms)
        values = " + ".join(t.values for t in self.terms)
        return f"{symbols} = {values} = {fmt(self.total)}"

    def __str__(self) -> str:
        lines = [f"{self.layer}: {fmt(self.total)} parameters"]
        lines += [f"  {t}" for t in self.terms]
        lines.append(f"  total: {self.formula}")
        if self.non_trainable:
            lines.append(
                f"  trainable {fmt(self.trainable)}, non-trainable {fmt(self.non_trainable)}"
            )
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def scoped(self, scope: str) -> tuple[Term, ...]:
        """These terms moved under a sub-layer scope (`forward/kernel`)."""
        return tuple(
            replace(t, scope=f"{scope}/{t.scope}" if t.scope else scope) for t in self.terms
        )

    def frozen(self) -> Breakdown:
        """The same terms, all non-trainable: what `layer.trainable = False` does."""
        return replace(self, terms=tuple(replace(t, trainable=False) for t in self.terms))


def term(
    name: str,
    shape: Sequence[int],
    factors: Iterable[Factor],
    *,
    trainable: bool = True,
    scope: str = "",
    note: str = "",
) -> Term:
    """Build a `Term`; `factors` must multiply to the product of `shape`."""
    return Term(
        name=name,
        shape=tuple(int(s) for s in shape),
        factors=tuple((str(s), int(v)) for s, v in factors),
        trainable=trainable,
        scope=scope,
        note=note,
    )


def no_parameters(layer: str, why: str, family: Family = Family.PARAMETER_FREE) -> Breakdown:
    """The breakdown of a layer that creates no weights."""
    return Breakdown(layer, (), (why,), family=family)
