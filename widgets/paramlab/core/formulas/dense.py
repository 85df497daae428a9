"""Dense, EinsumDense, Embedding and ReversibleEmbedding: a matrix (or tensor) and a bias."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from paramlab.core import _checks
from paramlab.core.formulas._lora import with_lora
from paramlab.core.terms import Breakdown, Family, Term, term


def dense(
    units: int, input_dim: int, *, use_bias: bool = True, lora_rank: int | None = None
) -> Breakdown:
    """Dense: kernel (input_dim, units) + bias (units,) = units * (input_dim + 1).

    Dense acts on the last axis only: on a (batch, steps, features) input `input_dim` is
    `features`, and the same kernel is applied at every step.
    """
    u = _checks.positive("units", units)
    n = _checks.positive("input_dim", input_dim)
    bias = _checks.flag("use_bias", use_bias)
    terms = list(with_lora(term("kernel", (n, u), [("input_dim", n), ("units", u)]), lora_rank))
    if bias:
        terms.insert(1, term("bias", (u,), [("units", u)]))
    return Breakdown("Dense", tuple(terms), family=Family.DENSE)


def embedding(input_dim: int, output_dim: int, *, lora_rank: int | None = None) -> Breakdown:
    """Embedding: one row of `output_dim` numbers per token of the vocabulary (`input_dim`)."""
    v = _checks.positive("input_dim", input_dim)
    d = _checks.positive("output_dim", output_dim)
    base = term("embeddings", (v, d), [("input_dim", v), ("output_dim", d)])
    terms = with_lora(base, lora_rank, prefix="lora_embeddings")
    return Breakdown("Embedding", terms, family=Family.EMBEDDING)


def reversible_embedding(input_dim: int, output_dim: int, *, tie_weights: bool = True) -> Breakdown:
    """ReversibleEmbedding: an Embedding that can also project back to the vocabulary.

    With `tie_weights=True` the reverse projection reuses the embeddings (transposed);
    with False it has its own `reverse_embeddings` matrix, doubling the count.
    """
    v = _checks.positive("input_dim", input_dim)
    d = _checks.positive("output_dim", output_dim)
    tied = _checks.flag("tie_weights", tie_weights)
    terms = [term("embeddings", (v, d), [("input_dim", v), ("output_dim", d)])]
    if not tied:
        terms.append(term("reverse_embeddings", (d, v), [("output_dim", d), ("input_dim", v)]))
    return Breakdown("ReversibleEmbedding", tuple(terms), family=Family.REVERSIBLE_EMBEDDING)


_EQUATION = re.compile(
    r"^(\.\.\.)?([a-zA-Z]+)(\.\.\.)?,([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)(\.\.\.)?$"
)

_Sizes = dict[str, int | None]
"""The size of each axis letter of an einsum equation, None where unknown."""


@dataclass(frozen=True)
class _Equation:
    """An EinsumDense equation read apart: the input, weight and output letters, and whether
    `...` stands on the left of the input and output (`left`) or on their right (`right`)."""

    text: str
    inp: str
    weight: str
    out: str
    left: bool
    right: bool


def einsum_dense(
    equation: str,
    output_shape: int | Sequence[int | None],
    input_shape: Sequence[int | None],
    *,
    bias_axes: str | None = None,
    lora_rank: int | None = None,
) -> Breakdown:
    """EinsumDense: the kernel has one axis per letter of the equation's weight term.

    A letter that also appears in the output takes its size from `output_shape`; a letter
    shared with the input takes it from `input_shape`. The bias spans `bias_axes` (a suffix of
    the output, with size 1 on the non-bias axes in between).
    """
    eq = _equation(equation)
    in_sizes, elided = _input_sizes(eq, input_shape)
    out_sizes = _output_sizes(eq, output_shape, in_sizes)
    received = (
        f"equation={equation!r}, input_shape={tuple(input_shape)}, output_shape={output_shape!r}"
    )
    kernel = _kernel(eq, {**in_sizes, **out_sizes}, received)
    terms = list(with_lora(kernel, lora_rank))
    if bias_axes:
        terms.insert(1, _einsum_bias(eq, bias_axes, out_sizes, elided))
    notes = (f"equation {equation}",)
    return Breakdown("EinsumDense", tuple(terms), notes, family=Family.EINSUM_DENSE)


def _equation(equation: Any) -> _Equation:
    """Read 'ab,bc->ac', '...b,bc->...c' or 'ab...,bc->ac...' apart; refuse anything else."""
    if not isinstance(equation, str):
        raise TypeError(f"`equation` must be a string. Received: equation={equation!r}")
    match = _EQUATION.match(equation.replace(" ", ""))
    left, inp, right, weight, left_out, out, right_out = match.groups() if match else (None,) * 7
    if (
        not match
        or bool(left) != bool(left_out)
        or bool(right) != bool(right_out)
        or (left and right)
    ):
        raise ValueError(
            "Invalid einsum equation: it must look like 'ab,bc->ac', '...b,bc->...c' or "
            f"'ab...,bc->ac...'. Received: equation={equation!r}"
        )
    return _Equation(equation, inp, weight, out, bool(left), bool(right))


def _input_sizes(eq: _Equation, input_shape: Sequence[int | None]) -> tuple[_Sizes, int]:
    """The size of each input letter, and how many input axes the `...` stands for."""
    dims = list(input_shape)
    elided = len(dims) - len(eq.inp)
    if elided < 0 or (elided and not (eq.left or eq.right)):
        raise ValueError(
            f"The input rank does not match the equation's input term '{eq.inp}'. "
            f"Received: equation={eq.text!r}, input_shape={tuple(input_shape)}"
        )
    named = dims[elided:] if eq.left else dims[: len(eq.inp)]
    return dict(zip(eq.inp, named, strict=True)), elided


def _output_sizes(
    eq: _Equation, output_shape: int | Sequence[int | None], in_sizes: _Sizes
) -> _Sizes:
    """The size of each output letter: from `output_shape`, which omits the batch axis (with
    '...' on the left the elided axes come first), the batch letter's from the input."""
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    letters = eq.out if eq.left else eq.out[1:]
    if eq.right and len(partial) > len(letters):
        partial = partial[: len(letters)]  # the sizes of the elided axes, as Keras allows
    if len(partial) != len(letters):
        raise ValueError(
            f"`output_shape` must give a size for each output axis after the batch: "
            f"{len(letters)} for '{eq.out}'. Received: output_shape={output_shape!r}"
        )
    sizes = dict(zip(letters, partial, strict=True))
    if not eq.left:
        sizes[eq.out[0]] = in_sizes.get(eq.out[0])
    return sizes


def _kernel(eq: _Equation, sizes: _Sizes, received: str) -> Term:
    """One kernel axis per weight letter, sized from the output, else from the input."""
    factors = []
    for letter in eq.weight:
        size = sizes.get(letter)
        if size is None:
            raise ValueError(
                f"The weight axis '{letter}' needs a known size from the input or the "
                f"output. Received: {received}"
            )
        factors.append((letter, _checks.positive(f"size of axis '{letter}'", size)))
    return term("kernel", [v for _, v in factors], factors)


def _einsum_bias(eq: _Equation, bias_axes: str, out_sizes: _Sizes, elided: int) -> Term:
    """The bias over `bias_axes`, a suffix of the output with size 1 on the axes between."""
    unknown = [c for c in bias_axes if c not in eq.out]
    if unknown:
        raise ValueError(
            f"Bias axis '{unknown[0]}' is not in the output term '{eq.out}'. "
            f"Received: bias_axes={bias_axes!r}"
        )
    start = min(eq.out.index(c) for c in bias_axes)
    shape = [out_sizes[c] if c in bias_axes else 1 for c in eq.out[start:]]
    if eq.right:
        shape += [1] * elided
    factors = [(c, out_sizes[c]) for c in eq.out[start:] if c in bias_axes]
    return term("bias", shape, factors)
