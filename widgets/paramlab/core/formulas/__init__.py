"""The formula engine: one function per Keras layer family, each returning a `Breakdown`, and
the optimizer's variables (`optimizer_variables`, returning `OptimizerVariables`).

Pure arithmetic: nothing here imports keras or ipywidgets.
"""

from __future__ import annotations

from paramlab.core.formulas.attention import (
    additive_attention,
    dot_product_attention,
    grouped_query_attention,
    multi_head_attention,
)
from paramlab.core.formulas.conv import (
    conv,
    conv1d,
    conv2d,
    conv_transpose,
    depthwise_conv,
    separable_conv,
)
from paramlab.core.formulas.dense import dense, einsum_dense, embedding, reversible_embedding
from paramlab.core.formulas.misc import layer_scale, prelu, stft_spectrogram
from paramlab.core.formulas.normalization import (
    batch_normalization,
    group_normalization,
    layer_normalization,
    normalization,
    rms_normalization,
    unit_normalization,
)
from paramlab.core.formulas.optimizers import loss_scale_optimizer, optimizer_variables
from paramlab.core.formulas.recurrent import conv_lstm, gru, lstm, simple_rnn, stacked_cells
from paramlab.core.formulas.transformer import transformer, transformer_block
from paramlab.core.formulas.wrappers import bidirectional, spectral_normalization, time_distributed

__all__ = [
    "additive_attention",
    "batch_normalization",
    "bidirectional",
    "conv",
    "conv1d",
    "conv2d",
    "conv_lstm",
    "conv_transpose",
    "dense",
    "depthwise_conv",
    "dot_product_attention",
    "einsum_dense",
    "embedding",
    "group_normalization",
    "grouped_query_attention",
    "gru",
    "layer_normalization",
    "layer_scale",
    "loss_scale_optimizer",
    "lstm",
    "multi_head_attention",
    "normalization",
    "optimizer_variables",
    "prelu",
    "reversible_embedding",
    "rms_normalization",
    "separable_conv",
    "simple_rnn",
    "spectral_normalization",
    "stacked_cells",
    "stft_spectrogram",
    "time_distributed",
    "transformer",
    "transformer_block",
    "unit_normalization",
]
