"""BatchNormExplorer: gamma and beta train, the moving statistics do not."""

from __future__ import annotations

from functools import partial
from typing import Any

from paramlab.core import formulas as F
from paramlab.core.terms import fmt
from paramlab.ui.explorers._base import Explorer, Reading
from paramlab.ui.explorers._controls import checkbox, int_slider

MAX_FEATURES = 1024


def _keras_batch_normalization(*, trainable: bool, **config: Any) -> Any:
    from keras import layers

    layer = layers.BatchNormalization(**config)
    layer.trainable = trainable
    return layer


class BatchNormExplorer(Explorer):
    """`features` (channels on the normalized axis), `center`, `scale`, and `trainable`."""

    def __init__(
        self, features: int = 32, center: bool = True, scale: bool = True, trainable: bool = True
    ) -> None:
        super().__init__(
            controls={
                "features": int_slider("features", features, MAX_FEATURES),
                "center": checkbox("center", center, description="center (beta)"),
                "scale": checkbox("scale", scale, description="scale (gamma)"),
                "trainable": checkbox("trainable", trainable),
            }
        )

    def read(self, *, features: int, center: bool, scale: bool, trainable: bool) -> Reading:
        f = fmt(features)
        b = F.batch_normalization(features, center=center, scale=scale)
        if not trainable:
            b = b.frozen()
        learned = int(center) + int(scale)
        extra = [
            f"Output shape: (batch, ..., {f}) (unchanged)",
            "moving_mean and moving_variance are updated by running averages during training, "
            "never by gradients: Keras lists them as non-trainable parameters.",
            f"PyTorch's BatchNorm({features}) reports {fmt(learned * features)}: it keeps the "
            "running statistics as buffers, outside its parameter count.",
        ]
        if not trainable:
            extra.append("trainable=False freezes gamma and beta too: every term is non-trainable.")
        return Reading(
            heading=f"BatchNormalization(center={center}, scale={scale}) on input (batch, {f}), "
            f"trainable={trainable}",
            breakdown=b,
            extra=tuple(extra),
            layer=partial(
                _keras_batch_normalization, center=center, scale=scale, trainable=trainable
            ),
            input_shape=(None, features),
        )
