"""BatchNormExplorer: gamma and beta train, the moving statistics do not."""

from __future__ import annotations

from typing import Any

import ipywidgets as W

from paramlab import formulas as F
from paramlab.explorers._base import Explorer, Reading, checkbox, int_slider


class BatchNormExplorer(Explorer):
    """`features` (channels on the normalized axis), `center`, `scale`, and `trainable`."""

    def __init__(
        self, features: int = 32, center: bool = True, scale: bool = True, trainable: bool = True
    ) -> None:
        self._initial = dict(features=features, center=center, scale=scale, trainable=trainable)
        super().__init__()

    def controls(self) -> dict[str, W.ValueWidget]:
        v = self._initial
        return {
            "features": int_slider(v["features"], 1, 1024, "features"),
            "center": checkbox(v["center"], "center (beta)"),
            "scale": checkbox(v["scale"], "scale (gamma)"),
            "trainable": checkbox(v["trainable"], "trainable"),
        }

    def read(self, values: dict[str, Any]) -> Reading:
        f, center, scale, trainable = (
            values["features"],
            values["center"],
            values["scale"],
            values["trainable"],
        )
        b = F.batch_normalization(f, center=center, scale=scale)
        if not trainable:
            b = b.frozen()
        learned = int(center) + int(scale)
        extra = [
            f"Output shape: (batch, ..., {f}) (unchanged)",
            "moving_mean and moving_variance are updated by running averages during training, "
            "never by gradients: Keras lists them as non-trainable parameters.",
            f"PyTorch's BatchNorm({f}) reports {learned * f:,}: it keeps the running statistics "
            "as buffers, outside its parameter count.",
        ]
        if not trainable:
            extra.append("trainable=False freezes gamma and beta too: every term is non-trainable.")
        return Reading(
            heading=f"BatchNormalization(center={center}, scale={scale}) on input (batch, {f}), "
            f"trainable={trainable}",
            breakdown=b,
            extra=tuple(extra),
            kind="BatchNormalization",
            config={"center": center, "scale": scale, "trainable": trainable},
            input_shape=(None, f),
        )
