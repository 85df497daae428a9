"""A Transformer as a learner writes it with keras.layers, for the tests of the Transformer
formula and explorer: the real Keras model they are checked against (its layer names are the
architecture's, as `paramlab.core.formulas.transformer` names its rows)."""

from __future__ import annotations

import keras
from keras import layers as L


def keras_model(
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
    pre_norm: bool = False,
) -> keras.Model:
    """The architecture as a learner would write it: token ids and their positions as two
    inputs; post-norm blocks (the original Transformer) or pre-norm ones (GPT-2's)."""
    tokens = keras.Input((seq_len,), dtype="int32", name="tokens")
    positions = keras.Input((seq_len,), dtype="int32", name="positions")
    embed = (L.ReversibleEmbedding if head == "tied" else L.Embedding)(
        vocab, d_model, name="token_embedding"
    )
    where = L.Embedding(seq_len, d_model, name="position_embedding")
    x = L.Add(name="embedding_add")([embed(tokens), where(positions)])
    for i in range(1, layers + 1):
        p = f"block_{i}"
        attention = L.MultiHeadAttention(
            num_heads, key_dim, value_dim=value_dim, use_bias=use_bias, name=f"{p}_attention"
        )
        norm_1 = L.LayerNormalization(name=f"{p}_norm_1")
        norm_2 = L.LayerNormalization(name=f"{p}_norm_2")
        ffn_1 = L.Dense(ff_dim, activation="gelu", use_bias=use_bias, name=f"{p}_ffn_1")
        ffn_2 = L.Dense(d_model, use_bias=use_bias, name=f"{p}_ffn_2")
        if pre_norm:
            h = norm_1(x)
            x = L.Add(name=f"{p}_attention_add")([x, attention(h, h, use_causal_mask=True)])
            x = L.Add(name=f"{p}_ffn_add")([x, ffn_2(ffn_1(norm_2(x)))])
        else:
            x = norm_1(L.Add(name=f"{p}_attention_add")([x, attention(x, x)]))
            x = norm_2(L.Add(name=f"{p}_ffn_add")([x, ffn_2(ffn_1(x))]))
    if final_norm:
        x = L.LayerNormalization(name="final_norm")(x)
    if head == "tied":
        x = embed(x, reverse=True)
    elif head == "dense":
        x = L.Dense(vocab, use_bias=use_bias, name="head")(x)
    return keras.Model([tokens, positions], x)
