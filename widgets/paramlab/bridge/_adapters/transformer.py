"""The Keras side of `paramlab.core.formulas.transformer`: the functional model its rows
describe, built from `keras.layers` with the same layer names, so that
`model.get_layer("block_1_attention")` is the row of that name and every `weight.path` is a term
of `Stack.breakdown`. The explorer's Keras check counts this model.

Nothing is registered here: every layer of the model is a Keras layer that `explain` already
reads by its own adapter. The weights start at zeros (the count depends only on the shapes, and
zeros are the quickest to make, which matters for a check that runs as a slider rests).
"""

from __future__ import annotations

from typing import Any

import keras
from keras import layers as L

from paramlab.core.formulas.transformer import transformer

ZEROS = "zeros"


def _block(
    x: Any,
    prefix: str,
    *,
    d_model: int,
    num_heads: int,
    key_dim: int,
    value_dim: int | None,
    ff_dim: int,
    use_bias: bool,
) -> Any:
    """One post-norm encoder block on `x` (batch, seq_len, d_model)."""
    attended = L.MultiHeadAttention(
        num_heads,
        key_dim,
        value_dim=value_dim,
        use_bias=use_bias,
        kernel_initializer=ZEROS,
        name=f"{prefix}_attention",
    )(x, x)
    x = L.Add(name=f"{prefix}_attention_add")([x, attended])
    x = L.LayerNormalization(name=f"{prefix}_norm_1")(x)
    dense = {"use_bias": use_bias, "kernel_initializer": ZEROS}
    fed = L.Dense(ff_dim, activation="relu", name=f"{prefix}_ffn_1", **dense)(x)
    fed = L.Dense(d_model, name=f"{prefix}_ffn_2", **dense)(fed)
    x = L.Add(name=f"{prefix}_ffn_add")([x, fed])
    return L.LayerNormalization(name=f"{prefix}_norm_2")(x)


def keras_transformer(
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
) -> Any:
    """The Keras model `formulas.transformer(...)` with these arguments counts, on token ids
    (batch, seq_len). The arguments are checked by the formula first, in Keras' voice."""
    transformer(
        vocab=vocab,
        seq_len=seq_len,
        d_model=d_model,
        num_heads=num_heads,
        key_dim=key_dim,
        ff_dim=ff_dim,
        layers=layers,
        value_dim=value_dim,
        use_bias=use_bias,
        head=head,
        final_norm=final_norm,
    )
    tied = head.lower() == "tied"
    tokens = keras.Input((seq_len,), dtype="int32", name="tokens")
    positions = keras.ops.cumsum(keras.ops.ones_like(tokens), axis=1) - 1  # 0 .. seq_len - 1
    embed = (L.ReversibleEmbedding if tied else L.Embedding)(
        vocab, d_model, embeddings_initializer=ZEROS, name="token_embedding"
    )
    where = L.Embedding(seq_len, d_model, embeddings_initializer=ZEROS, name="position_embedding")
    x = L.Add(name="embedding_add")([embed(tokens), where(positions)])
    for i in range(1, layers + 1):
        x = _block(
            x,
            f"block_{i}",
            d_model=d_model,
            num_heads=num_heads,
            key_dim=key_dim,
            ff_dim=ff_dim,
            value_dim=value_dim,
            use_bias=use_bias,
        )
    if final_norm:
        x = L.LayerNormalization(name="final_norm")(x)
    if tied:
        x = embed(x, reverse=True)
    elif head.lower() == "dense":
        x = L.Dense(vocab, use_bias=use_bias, kernel_initializer=ZEROS, name="head")(x)
    return keras.Model(tokens, x, name="transformer")
