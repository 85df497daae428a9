"""Attention layers: MultiHeadAttention, GroupedQueryAttention, Attention, AdditiveAttention.

Multi-head attention is four EinsumDense projections: query, key and value map each input's
last axis to (heads, head size); attention_output maps (heads, value size) back to the query's
last axis (or to `output_shape`).
"""

from __future__ import annotations

from collections.abc import Sequence

from paramlab.core import _checks
from paramlab.core.terms import Breakdown, Family, Term, term


def _projection(
    scope: str,
    in_dim: int,
    in_symbol: str,
    heads: int,
    heads_symbol: str,
    size: int,
    size_symbol: str,
    use_bias: bool,
) -> tuple[Term, ...]:
    kernel = term(
        "kernel",
        (in_dim, heads, size),
        [(in_symbol, in_dim), (heads_symbol, heads), (size_symbol, size)],
        scope=scope,
    )
    if not use_bias:
        return (kernel,)
    bias = term("bias", (heads, size), [(heads_symbol, heads), (size_symbol, size)], scope=scope)
    return (kernel, bias)


def _output_projection(
    heads: int, heads_symbol: str, size: int, size_symbol: str, out: tuple[int, ...], use_bias: bool
) -> tuple[Term, ...]:
    out_symbols = (
        ["query_dim"] if len(out) == 1 else [f"output_shape[{i}]" for i in range(len(out))]
    )
    kernel = term(
        "kernel",
        (heads, size, *out),
        [(heads_symbol, heads), (size_symbol, size), *zip(out_symbols, out, strict=True)],
        scope="attention_output",
    )
    if not use_bias:
        return (kernel,)
    bias = term("bias", out, zip(out_symbols, out, strict=True), scope="attention_output")
    return (kernel, bias)


Sized = tuple[int, str]
"""A size and its symbol: `(8, "num_heads")`."""


def _projections(
    dims: tuple[int, int, int],
    query_heads: Sized,
    key_value_heads: Sized,
    key: Sized,
    value: Sized,
    out: tuple[int, ...],
    use_bias: bool,
    use_gate: bool,
) -> tuple[Term, ...]:
    """An attention layer's projections, in Keras' order of weights: the query and the key to
    `key` per head, the gate (if any) and the value to `value` per head, and the output from
    every query head. `dims` are the query's, key's and value's last axes."""
    q_in, k_in, v_in = dims
    return (
        *_projection("query", q_in, "query_dim", *query_heads, *key, use_bias),
        *_projection("key", k_in, "key_input_dim", *key_value_heads, *key, use_bias),
        *(
            _projection("gate", q_in, "query_dim", *query_heads, *value, use_bias)
            if use_gate
            else ()
        ),
        *_projection("value", v_in, "value_input_dim", *key_value_heads, *value, use_bias),
        *_output_projection(*query_heads, *value, out, use_bias),
    )


def _input_dims(
    query_dim: int, value_input_dim: int | None, key_input_dim: int | None
) -> tuple[int, int, int]:
    """The query's, value's and key's last axes: the value defaults to the query's, the key to
    the value's, as when a layer attends to itself."""
    q_in = _checks.positive("query_dim", query_dim)
    v_in = q_in if value_input_dim is None else _checks.positive("value_input_dim", value_input_dim)
    k_in = v_in if key_input_dim is None else _checks.positive("key_input_dim", key_input_dim)
    return q_in, v_in, k_in


def _output_dims(output_shape: int | Sequence[int] | None, query_dim: int) -> tuple[int, ...]:
    if output_shape is None:
        return (query_dim,)
    if isinstance(output_shape, (tuple, list)):
        return tuple(_checks.positive("output_shape", v) for v in output_shape)
    return (_checks.positive("output_shape", output_shape),)


def multi_head_attention(
    num_heads: int,
    key_dim: int,
    query_dim: int,
    value_input_dim: int | None = None,
    *,
    key_input_dim: int | None = None,
    value_dim: int | None = None,
    output_shape: int | Sequence[int] | None = None,
    use_bias: bool = True,
    use_gate: bool = False,
) -> Breakdown:
    """MultiHeadAttention on query (..., query_dim), value (..., value_input_dim), key.

    `value_input_dim` and `key_input_dim` default to the query's and the value's last axis, as
    when a layer attends to itself; `value_dim` defaults to `key_dim`. `use_gate=True` adds a
    sigmoid gate: one more projection of the query to (num_heads, value_dim).
    """
    h = _checks.positive("num_heads", num_heads)
    k = _checks.positive("key_dim", key_dim)
    q_in, v_in, k_in = _input_dims(query_dim, value_input_dim, key_input_dim)
    v = k if value_dim is None else _checks.positive("value_dim", value_dim)
    bias = _checks.flag("use_bias", use_bias)
    out = _output_dims(output_shape, q_in)
    gate = _checks.flag("use_gate", use_gate)
    heads, key, value = (h, "num_heads"), (k, "key_dim"), (v, "value_dim")
    terms = _projections((q_in, k_in, v_in), heads, heads, key, value, out, bias, gate)
    notes = (f"{h} heads; each projects to key_dim={k} (queries, keys) and value_dim={v}",)
    return Breakdown("MultiHeadAttention", terms, notes, family=Family.MULTI_HEAD_ATTENTION)


def grouped_query_attention(
    head_dim: int,
    num_query_heads: int,
    num_key_value_heads: int,
    query_dim: int,
    value_input_dim: int | None = None,
    *,
    key_input_dim: int | None = None,
    use_bias: bool = True,
    use_gate: bool = False,
) -> Breakdown:
    """GroupedQueryAttention: fewer key/value heads than query heads, shared within groups.

    `use_gate=True` adds a sigmoid gate: a projection of the query to (num_query_heads, head_dim).
    """
    d = _checks.positive("head_dim", head_dim)
    hq = _checks.positive("num_query_heads", num_query_heads)
    hkv = _checks.positive("num_key_value_heads", num_key_value_heads)
    if hq % hkv:
        raise ValueError(
            "`num_query_heads` must be divisible by `num_key_value_heads`. "
            f"Received: num_query_heads={hq}, num_key_value_heads={hkv}"
        )
    q_in, v_in, k_in = _input_dims(query_dim, value_input_dim, key_input_dim)
    bias = _checks.flag("use_bias", use_bias)
    gate = _checks.flag("use_gate", use_gate)
    queries, keys_values, size = (
        (hq, "num_query_heads"),
        (hkv, "num_key_value_heads"),
        (d, "head_dim"),
    )
    terms = _projections((q_in, k_in, v_in), queries, keys_values, size, size, (q_in,), bias, gate)
    notes = (f"{hq} query heads share {hkv} key/value heads ({hq // hkv} per group)",)
    return Breakdown("GroupedQueryAttention", terms, notes, family=Family.GROUPED_QUERY_ATTENTION)


def dot_product_attention(*, use_scale: bool = False, score_mode: str = "dot") -> Breakdown:
    """keras.layers.Attention: at most two learned scalars (a scale, a concat-score weight)."""
    mode = _checks.choice("score_mode", score_mode, ("dot", "concat"))
    terms = []
    if _checks.flag("use_scale", use_scale):
        terms.append(term("scale", (), [], note="multiplies the scores"))
    if mode == "concat":
        terms.append(term("concat_score_weight", (), [], note="scales the tanh of q + k"))
    return Breakdown("Attention", tuple(terms), family=Family.ATTENTION)


def additive_attention(dim: int, *, use_scale: bool = True) -> Breakdown:
    """AdditiveAttention (Bahdanau): one learned scale per feature of the keys."""
    n = _checks.positive("dim", dim)
    family = Family.ADDITIVE_ATTENTION
    if not _checks.flag("use_scale", use_scale):
        return Breakdown("AdditiveAttention", (), ("use_scale=False: no weights",), family=family)
    return Breakdown("AdditiveAttention", (term("scale", (n,), [("dim", n)]),), family=family)
