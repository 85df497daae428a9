"""A Transformer as the Keras layers it is made of: a token Embedding and a learned position
Embedding, encoder blocks (MultiHeadAttention, a residual Add, LayerNormalization, a
feed-forward pair of Dense layers, a residual Add, LayerNormalization), and an optional output
head: tied to the token embeddings (a ReversibleEmbedding used both ways, its matrix counted
once, as Keras counts it) or a Dense(vocab) of its own.

Composes the layer formulas (`dense`, `attention`, `normalization`): a `Stack` holds one row per
Keras layer, by the name the layer has in the model (`block_1_attention`), with that layer's
breakdown, so each row can be compared with `model.get_layer(name)` and each weight with
`weight.path` (`block_1_attention/query/kernel`). The Add layers are rows too: they have no
weights. Where the norms sit (before or after the residual, as in GPT or in the original
Transformer) and the activations do not change the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from paramlab.core import _checks
from paramlab.core.formulas.attention import multi_head_attention
from paramlab.core.formulas.dense import dense, embedding, reversible_embedding
from paramlab.core.formulas.normalization import layer_normalization
from paramlab.core.terms import Breakdown, Family, Term, fmt, no_parameters

HEADS = ("none", "tied", "dense")
"""The output heads: none (the blocks' output), tied to the token embeddings, a Dense."""

Row = tuple[str, Breakdown]
"""One Keras layer of the model: its name and its breakdown."""

_RESIDUAL = no_parameters("Add", "a residual connection adds two tensors: no weights")
_POSITIONS_ADD = no_parameters("Add", "adds the position embeddings to the token embeddings")


@dataclass(frozen=True)
class Stack:
    """The parameters of a model of Keras layers, one row per layer, in the model's order.

    `shared` is a weight a second use of a layer reuses (the tied head reads the token
    embeddings again): it is in one row only, so it counts once, as Keras counts it.
    `naive_total` counts it twice, the slip of adding the head as if it had a matrix of its own.
    `lesson` is the whole count as the course writes it; `per_block` one block's count.
    """

    name: str
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    lesson: str = ""
    shared: Term | None = None
    per_block: int = 0

    @property
    def total(self) -> int:
        return sum(b.total for _, b in self.rows)

    @property
    def trainable(self) -> int:
        return sum(b.trainable for _, b in self.rows)

    @property
    def non_trainable(self) -> int:
        return sum(b.non_trainable for _, b in self.rows)

    @property
    def naive_total(self) -> int:
        """The total with the shared weight counted at each use: what a naive sum says."""
        return self.total + (self.shared.count if self.shared is not None else 0)

    @property
    def names(self) -> tuple[str, ...]:
        """The layers' names, in the model's order."""
        return tuple(name for name, _ in self.rows)

    def __getitem__(self, name: str) -> Breakdown:
        for row, b in self.rows:
            if row == name:
                return b
        raise KeyError(f"{self.name} has no layer {name!r}; it has {list(self.names)}")

    @property
    def breakdown(self) -> Breakdown:
        """Every weight of the model in one breakdown, each under its layer's name
        (`block_1_attention/query/kernel`: Keras' `weight.path`). Its family is the one of a
        model made of layers (`SEQUENTIAL`, as `nn.Sequential` and Keras' `Sequential`):
        each layer's own family stays in its row."""
        terms = tuple(t for name, b in self.rows for t in b.scoped(name))
        return Breakdown(self.name, terms, self.notes, family=Family.SEQUENTIAL, lesson=self.lesson)

    @property
    def explanation(self) -> str:
        return self.lesson or self.breakdown.formula

    def __str__(self) -> str:
        lines = [f"{self.name}: {fmt(self.total)} parameters"]
        lines += [f"  {name} ({b.layer}): {b.formula}" for name, b in self.rows]
        lines.append(f"  total: {self.explanation}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _name(value: object) -> str:
    """A layer-name prefix as Keras accepts names: a string without `/`."""
    if not isinstance(value, str) or not value or "/" in value:
        raise ValueError(
            "Argument `name` must be a string and cannot contain character `/`. "
            f"Received: name={value!r}"
        )
    return value


def _split_note(d: int, h: int, k: int) -> str:
    if h * k == d:
        return (
            f"num_heads * key_dim = {h} * {k} = {fmt(d)} = d_model: the usual split. Each "
            f"projection then holds d_model * d_model weights however many heads share them"
        )
    usual = f"; the usual choice is key_dim = d_model // num_heads = {d // h}" if d >= h else ""
    return (
        f"num_heads * key_dim = {h} * {k} = {fmt(h * k)}, not d_model={d}: Keras allows it "
        f"(the output projection maps back to d_model){usual}"
    )


def transformer_block(
    *,
    d_model: int,
    num_heads: int,
    key_dim: int,
    ff_dim: int,
    value_dim: int | None = None,
    use_bias: bool = True,
    name: str = "block_1",
) -> Stack:
    """One encoder block on (batch, seq_len, d_model): MultiHeadAttention(num_heads, key_dim,
    value_dim) attending to itself, with its output back at d_model; two LayerNormalizations;
    Dense(ff_dim) then Dense(d_model); two residual Adds (no weights). `use_bias` is the
    attention's and the Dense layers'. Layers are named `<name>_attention`, `<name>_norm_1`,
    `<name>_ffn_1`, ...; the sequence length is in no weight's shape."""
    d = _checks.positive("d_model", d_model)
    ff = _checks.positive("ff_dim", ff_dim)
    prefix = _name(name)
    attention = multi_head_attention(num_heads, key_dim, d, value_dim=value_dim, use_bias=use_bias)
    norm = layer_normalization(d)
    ffn_1, ffn_2 = dense(ff, d, use_bias=use_bias), dense(d, ff, use_bias=use_bias)
    rows = (
        (f"{prefix}_attention", attention),
        (f"{prefix}_attention_add", _RESIDUAL),
        (f"{prefix}_norm_1", norm),
        (f"{prefix}_ffn_1", ffn_1),
        (f"{prefix}_ffn_2", ffn_2),
        (f"{prefix}_ffn_add", _RESIDUAL),
        (f"{prefix}_norm_2", norm),
    )
    total = sum(b.total for _, b in rows)
    lesson = (
        f"attention + 2 * norm + ffn_1 + ffn_2 = {fmt(attention.total)} + 2 * "
        f"{fmt(norm.total)} + {fmt(ffn_1.total)} + {fmt(ffn_2.total)} = {fmt(total)}"
    )
    notes = (_split_note(d, num_heads, key_dim),)
    return Stack(f"Encoder block {prefix!r}", rows, notes, lesson, per_block=total)


def transformer(
    *,
    vocab: int,
    seq_len: int,
    d_model: int,
    num_heads: int,
    key_dim: int,
    ff_dim: int,
    layers: int = 1,
    value_dim: int | None = None,
    use_bias: bool = True,
    head: str = "none",
    final_norm: bool = False,
) -> Stack:
    """A small GPT-like stack on token ids (batch, seq_len): `token_embedding`
    (vocab, d_model), `position_embedding` (seq_len, d_model) and their Add, `layers` encoder
    blocks (`block_1`, `block_2`, ...; see `transformer_block`), an optional `final_norm`
    LayerNormalization (GPT-2's), and the head: 'none', 'tied' (the token embeddings used again
    to project back to the vocabulary: a ReversibleEmbedding, no new weights) or 'dense' (a
    Dense(vocab) named `head`, with a bias if `use_bias`)."""
    v = _checks.positive("vocab", vocab)
    s = _checks.positive("seq_len", seq_len)
    d = _checks.positive("d_model", d_model)
    n = _checks.positive("layers", layers)
    out = _checks.choice("head", head, HEADS)
    last_norm = _checks.flag("final_norm", final_norm)
    blocks = [
        transformer_block(
            d_model=d,
            num_heads=num_heads,
            key_dim=key_dim,
            ff_dim=ff_dim,
            value_dim=value_dim,
            use_bias=use_bias,
            name=f"block_{i}",
        )
        for i in range(1, n + 1)
    ]
    tokens = reversible_embedding(v, d) if out == "tied" else embedding(v, d)
    rows: list[Row] = [
        ("token_embedding", tokens),
        ("position_embedding", embedding(s, d)),
        ("embedding_add", _POSITIONS_ADD),
        *(row for block in blocks for row in block.rows),
    ]
    per_block = blocks[0].per_block
    symbols = ["vocab * d_model", "seq_len * d_model", "layers * block"]
    values = [f"{v} * {d}", f"{s} * {d}", f"{n} * {fmt(per_block)}"]
    if last_norm:
        rows.append(("final_norm", layer_normalization(d)))
        symbols.append("2 * d_model")
        values.append(f"2 * {d}")
    shared = None
    if out == "dense":
        rows.append(("head", dense(v, d, use_bias=use_bias)))
        symbols.append("d_model * vocab" + (" + vocab" if use_bias else ""))
        values.append(f"{d} * {v}" + (f" + {v}" if use_bias else ""))
    elif out == "tied":
        shared = tokens.scoped("token_embedding")[0]
    total = sum(b.total for _, b in rows)
    lesson = f"{' + '.join(symbols)} = {' + '.join(values)} = {fmt(total)}"
    notes = (
        blocks[0].notes[0],
        f"seq_len enters only the learned positions (seq_len * d_model = {fmt(s * d)}): "
        "attention has no weight per position",
        _head_note(out, total, shared, d, v, use_bias),
    )
    return Stack("Transformer", tuple(rows), notes, lesson, shared, per_block)


def _head_note(head: str, total: int, shared: Term | None, d: int, v: int, bias: bool) -> str:
    if shared is not None:
        return (
            f"head='tied': the output projection reuses {shared.path} {shared.shape} "
            f"(transposed), so Keras counts it once; adding it again for the head would say "
            f"{fmt(total + shared.count)}"
        )
    if head == "dense":
        plus = f" + {fmt(v)}" if bias else ""
        return (
            f"head='dense': a Dense(vocab) of its own, d_model * vocab"
            f"{' + vocab' if bias else ''} = {d} * {v}{plus} = {fmt(d * v + (v if bias else 0))}"
        )
    return "head='none': the model ends with the last block's (batch, seq_len, d_model) output"
