"""TransformerExplorer: token and position embeddings, encoder blocks and an output head, live.

Every slider position is a model Keras builds (any positive size is accepted: `key_dim` need
not be `d_model // num_heads`), so nothing is locked or lowered here; the read-out says when a
choice is unusual instead.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from paramlab.core.formulas.transformer import HEADS, transformer, transformer_block
from paramlab.core.terms import fmt
from paramlab.ui.explorers._base import Explorer, Reading
from paramlab.ui.explorers._controls import checkbox, dropdown, int_slider

# The sliders' usual ends: at all of them the model has about 34 million weights, which the
# Keras check builds in a fraction of a second; a larger value passed explicitly is honoured.
MAX_VOCAB = 16_384
MAX_SEQ_LEN = 1024
MAX_D_MODEL = 512
MAX_HEADS = 16
MAX_KEY_DIM = 128
MAX_FF = 2048
MAX_LAYERS = 4


def _keras_transformer(**config: Any) -> Any:
    from paramlab.bridge._adapters.transformer import keras_transformer  # imports keras

    return keras_transformer(**config)


def _plus(bias: bool, term: str) -> str:
    return f" + {term}" if bias else ""


class TransformerExplorer(Explorer):
    """Sliders for the embeddings (`vocab`, `seq_len`), the block (`d_model`, `num_heads`,
    `key_dim`, `ff_dim`) and how many blocks (`layers`); the output `head` ('none', 'tied',
    'dense') and `use_bias` (the attention's and the Dense layers')."""

    def __init__(
        self,
        vocab: int = 1000,
        seq_len: int = 64,
        d_model: int = 64,
        num_heads: int = 4,
        key_dim: int = 16,
        ff_dim: int = 256,
        layers: int = 1,
        head: str = "none",
        use_bias: bool = True,
    ) -> None:
        super().__init__(
            controls={
                "vocab": int_slider("vocab", vocab, MAX_VOCAB),
                "seq_len": int_slider("seq_len", seq_len, MAX_SEQ_LEN),
                "d_model": int_slider("d_model", d_model, MAX_D_MODEL),
                "num_heads": int_slider("num_heads", num_heads, MAX_HEADS),
                "key_dim": int_slider("key_dim", key_dim, MAX_KEY_DIM),
                "ff_dim": int_slider("ff_dim", ff_dim, MAX_FF),
                "layers": int_slider("layers", layers, MAX_LAYERS),
                "head": dropdown("head", head, HEADS),
                "use_bias": checkbox("use_bias", use_bias),
            }
        )

    def read(
        self,
        *,
        vocab: int,
        seq_len: int,
        d_model: int,
        num_heads: int,
        key_dim: int,
        ff_dim: int,
        layers: int,
        head: str,
        use_bias: bool,
    ) -> Reading:
        config: dict[str, Any] = {
            "vocab": vocab,
            "seq_len": seq_len,
            "d_model": d_model,
            "num_heads": num_heads,
            "key_dim": key_dim,
            "ff_dim": ff_dim,
            "layers": layers,
            "head": head,
            "use_bias": use_bias,
        }
        stack = transformer(**config)
        d, h, k, ff, v, s, n = d_model, num_heads, key_dim, ff_dim, vocab, seq_len, layers
        block = transformer_block(d_model=d, num_heads=h, key_dim=k, ff_dim=ff, use_bias=use_bias)
        attention = block["block_1_attention"]
        ffn = block["block_1_ffn_1"].total + block["block_1_ffn_2"].total
        blocks = "one encoder block" if n == 1 else f"{n} encoder blocks"
        each = f"Each block: {block.lesson}"
        if n > 1:
            each += f"; {blocks}: {n} * {fmt(block.total)} = {fmt(n * block.total)}"
        extra = [
            f"Output shape: (batch, {s}, {d if head == 'none' else v})",
            f"Attention: query, key and value kernels (d_model, num_heads, key_dim) = "
            f"({d}, {h}, {k}), output kernel ({h}, {k}, {d})"
            f"{_plus(use_bias, 'their biases')} = {fmt(attention.total)}",
            block.notes[0],
            f"Feed-forward: Dense(ff_dim) then Dense(d_model), 2 * d_model * ff_dim"
            f"{_plus(use_bias, 'ff_dim + d_model')} = 2 * {d} * {ff}"
            f"{_plus(use_bias, f'{ff} + {d}')} = {fmt(ffn)}",
            each,
            f"Parameters = {stack.lesson}",
            *stack.notes[1:],
            "The Add layers have no weights: the embeddings' sum and two residuals per block.",
        ]
        heading = (  # no long bracket: the line must wrap in a narrow notebook
            f"Transformer: {blocks}, d_model={d}, num_heads={h}, key_dim={k}, ff_dim={ff}, "
            f"after embeddings of vocab={v} and seq_len={s}, head='{head}', on token ids "
            f"(batch, {s})"
        )
        return Reading(
            heading=heading,
            breakdown=stack.breakdown,
            extra=tuple(extra),
            layer=partial(_keras_transformer, **config),
            input_shape=(None, s),
        )
