"""Results of the formula engine: a `Breakdown` of named `Term`s.

Each term is named after the Keras weight it counts (`kernel`, `bias`, `recurrent_kernel`, ...)
and carries its shape as Keras builds it and its formula, in symbols and with numbers filled in.
Pure: imports neither keras nor ipywidgets.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

Factor = tuple[str, int]
"""One factor of a term's count: the symbol a learner reads and the number it stands for."""


def fmt(n: int) -> str:
    """An integer with thousands separators: 7200 -> '7,200'."""
    return f"{n:,}"


def counted(n: int, noun: str, plural: str = "") -> str:
    """`n` and its noun, singular for one: counted(1, "step") -> '1 step', (3, ...) -> '3 steps'."""
    return f"{fmt(n)} {noun if n == 1 else plural or noun + 's'}"


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

    `layer` is the display name (`LSTM`, `Bidirectional(LSTM)`). A wrapper's breakdown also
    says what it wraps: `wrapper` is the wrapping class (`Bidirectional`, `TimeDistributed`,
    `SpectralNormalization`, or an `RNN` around a cell) and `wrapped` the inner breakdown
    (Bidirectional's forward layer); `core` follows them to the innermost layer.
    `lesson` is the whole count as the course teaches it, where that differs from the sum of
    the terms (`4 * (units * (units + input_dim) + units) = 4 * (64 * (64 + 6) + 64) = 18,176`);
    `explanation` gives it, or else `expression`.
    """

    layer: str
    terms: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=())
    wrapper: str = ""
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


def no_parameters(layer: str, why: str) -> Breakdown:
    """The breakdown of a layer that creates no weights."""
    return Breakdown(layer=layer, terms=(), notes=(why,))
