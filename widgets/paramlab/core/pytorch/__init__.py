"""PyTorch's side of the course's figures: what `torch.nn` modules hold, named as torch names it.

Pure arithmetic: imports neither torch, keras nor ipywidgets; `tests/test_pytorch.py` checks
every name and shape against real torch (`named_parameters()`, `named_buffers()`, `state_dict()`).

A torch module holds two kinds of tensors, and only the first counts as parameters:
**parameters** (`module.parameters()`, trained by gradients) and **buffers** (`module.buffers()`,
updated by forward passes: BatchNorm's `running_mean`, `running_var` and the int64 scalar
`num_batches_tracked`). Keras keeps the running statistics as non-trainable weights and counts them.

The modules, by topic: `_counts` (`TorchCounts`, `counts`), `_modules` (`linear`, `conv2d`,
`rnn`, `lstm`, `gru`, `batch_norm`, `sequential`), `_conventions` (BatchNorm's momentum and
epsilon in both libraries) and `_versus_keras` (`Comparison`, the `*_vs_keras` functions).
"""

from __future__ import annotations

from paramlab.core.formulas.recurrent import GATES
from paramlab.core.pytorch._conventions import (
    KERAS_BATCHNORM_EPSILON,
    KERAS_BATCHNORM_MOMENTUM,
    TORCH_BATCHNORM_EPSILON,
    TORCH_BATCHNORM_MOMENTUM,
    keras_momentum_to_torch,
    torch_momentum_to_keras,
)
from paramlab.core.pytorch._counts import INT64_BUFFERS, TorchCounts, counts
from paramlab.core.pytorch._modules import (
    SECOND_BIAS,
    batch_norm,
    conv2d,
    gru,
    linear,
    lstm,
    rnn,
    sequential,
)
from paramlab.core.pytorch._versus_keras import (
    Comparison,
    batch_norm_vs_keras,
    gru_vs_keras,
    lstm_vs_keras,
    simple_rnn_vs_keras,
)

__all__ = [
    "GATES",
    "INT64_BUFFERS",
    "KERAS_BATCHNORM_EPSILON",
    "KERAS_BATCHNORM_MOMENTUM",
    "SECOND_BIAS",
    "TORCH_BATCHNORM_EPSILON",
    "TORCH_BATCHNORM_MOMENTUM",
    "Comparison",
    "TorchCounts",
    "batch_norm",
    "batch_norm_vs_keras",
    "conv2d",
    "counts",
    "gru",
    "gru_vs_keras",
    "keras_momentum_to_torch",
    "linear",
    "lstm",
    "lstm_vs_keras",
    "rnn",
    "sequential",
    "simple_rnn_vs_keras",
    "torch_momentum_to_keras",
]
