"""Sliding-window pictures: matplotlib figures that update their artists in place."""

from __future__ import annotations

from paramlab.ui.pictures._filmstrip import Frame, filmstrip_positions
from paramlab.ui.pictures.attention import AttentionPicture
from paramlab.ui.pictures.confusion import ConfusionPicture
from paramlab.ui.pictures.conv1d import Conv1DPicture
from paramlab.ui.pictures.conv2d import Conv2DPicture

__all__ = [
    "AttentionPicture",
    "ConfusionPicture",
    "Conv1DPicture",
    "Conv2DPicture",
    "Frame",
    "filmstrip_positions",
]
