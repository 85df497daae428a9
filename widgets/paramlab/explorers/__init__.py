"""Explorers: one per lesson family, each a set of controls and a live, Keras-checked read-out."""

from __future__ import annotations

from paramlab.explorers.batchnorm import BatchNormExplorer
from paramlab.explorers.conv import Conv1DExplorer, Conv2DExplorer
from paramlab.explorers.dense import DenseExplorer
from paramlab.explorers.recurrent import RecurrentExplorer

__all__ = [
    "BatchNormExplorer",
    "Conv1DExplorer",
    "Conv2DExplorer",
    "DenseExplorer",
    "RecurrentExplorer",
]
