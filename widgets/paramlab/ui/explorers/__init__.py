"""Explorers: one per lesson family, each a set of controls and a live, Keras-checked read-out."""

from __future__ import annotations

from paramlab.ui.explorers.batchnorm import BatchNormExplorer
from paramlab.ui.explorers.conv import Conv1DExplorer, Conv2DExplorer
from paramlab.ui.explorers.dense import DenseExplorer
from paramlab.ui.explorers.recurrent import RecurrentExplorer
from paramlab.ui.explorers.transformer import TransformerExplorer

__all__ = [
    "BatchNormExplorer",
    "Conv1DExplorer",
    "Conv2DExplorer",
    "DenseExplorer",
    "RecurrentExplorer",
    "TransformerExplorer",
]
