"""Dense, EinsumDense, Embedding and ReversibleEmbedding: a matrix (or tensor) and a bias."""

from __future__ import annotations

import re
from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.formulas._lora import with_lora
from paramlab.core.terms import Breakdown, term


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
    return Breakdown("Dense", tuple(terms))


def embedding(input_dim: int, output_dim: int, *, lora_rank: int | None = None) -> Breakdown:
    """Embedding: one row of `output_dim` numbers per token of the vocabulary (`input_dim`)."""
    v = _checks.positive("input_dim", input_dim)
    d = _checks.positive("output_dim", output_dim)
    base = term("embeddings", (v, d), [("input_dim", v), ("output_dim", d)])
    return Breakdown("Embedding", with_lora(base, lora_rank, prefix="lora_embeddings"))


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
    return Breakdown("ReversibleEmbedding", tuple(terms))


_EQUATION = re.compile(
    r"^(\.\.\.)?([a-zA-Z]+)(\.\.\.)?,([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)(\.\.\.)?$"
)


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
    if not isinstance(equation, str):
        raise TypeError(f"`equation` must be a string. Received: equation={equation!r}")
    match = _EQUATION.match(equation.replace(" ", ""))
    left, inp, right_in, wspec, left_out, outspec, right_out = (
        match.groups() if match else (None,) * 7
    )
    if (
        not match
        or bool(left) != bool(left_out)
        or bool(right_in) != bool(right_out)
        or (left and right_in)
    ):
        raise ValueError(
            "Invalid einsum equation: it must look like 'ab,bc->ac', '...b,bc->...c' or "
            f"'ab...,bc->ac...'. Received: equation={equation!r}"
        )
    dims = list(input_shape)
    elided = len(dims) - len(inp)
    if elided < 0 or (elided and not (left or right_in)):
        raise ValueError(
            f"The input rank does not match the equation's input term '{inp}'. "
            f"Received: equation={equation!r}, input_shape={tuple(input_shape)}"
        )
    in_sizes = dict(zip(inp, dims[elided:] if left else dims[: len(inp)], strict=True))
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    # output_shape omits the batch axis; with '...' on the left the elided axes come first.
    out_letters = outspec[1:] if not left else outspec
    if right_in and len(partial) > len(out_letters):
        partial = partial[: len(out_letters)]  # the sizes of the elided axes, as Keras allows
    if len(partial) != len(out_letters):
        raise ValueError(
            f"`output_shape` must give a size for each output axis after the batch: "
            f"{len(out_letters)} for '{outspec}'. Received: output_shape={output_shape!r}"
        )
    out_sizes = dict(zip(out_letters, partial, strict=True))
    if not left:
        out_sizes[outspec[0]] = in_sizes.get(outspec[0])
    factors, shape = [], []
    for letter in wspec:
        size = out_sizes.get(letter) if letter in out_sizes else in_sizes.get(letter)
        if size is None:
            raise ValueError(
                f"The weight axis '{letter}' needs a known size from the input or the "
                f"output. Received: equation={equation!r}, input_shape={tuple(input_shape)}, "
                f"output_shape={output_shape!r}"
            )
        size = _checks.positive(f"size of axis '{letter}'", size)
        shape.append(size)
        factors.append((letter, size))
    terms = list(with_lora(term("kernel", shape, factors), lora_rank))
    if bias_axes:
        unknown = [c for c in bias_axes if c not in outspec]
        if unknown:
            raise ValueError(
                f"Bias axis '{unknown[0]}' is not in the output term '{outspec}'. "
                f"Received: bias_axes={bias_axes!r}"
            )
        start = min(outspec.index(c) for c in bias_axes)
        bias_shape = [out_sizes[c] if c in bias_axes else 1 for c in outspec[start:]]
        if right_in:
            bias_shape += [1] * elided
        bias_factors = [(c, out_sizes[c]) for c in outspec[start:] if c in bias_axes]
        terms.insert(1, term("bias", bias_shape, bias_factors))
    return Breakdown("EinsumDense", tuple(terms), notes=(f"equation {equation}",))
