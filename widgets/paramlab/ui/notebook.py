"""What every course notebook's first cell calls: quiet TensorFlow, seeds, stable printing."""

from __future__ import annotations

import os
import random
import sys

from paramlab.bridge._keras_build import keras_available

QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def setup_notebook(seed: int = 0) -> None:
    """Silence TensorFlow's C-level start-up lines, seed every generator, and import keras.

    The environment variables only work before TensorFlow is first imported, so this must run
    before anything imports keras; it says so loudly if that already happened.

    Without Keras (the browser edition) it seeds Python's `random` and says nothing.
    """
    if not keras_available():
        random.seed(seed)
        return
    if "tensorflow" in sys.modules and any(os.environ.get(k) != v for k, v in QUIET.items()):
        raise RuntimeError(
            "TensorFlow was imported before paramlab.setup_notebook(): its start-up log lines "
            "can no longer be silenced. Restart the kernel and run the first cell first."
        )
    os.environ.update(QUIET)
    import keras
    import numpy as np

    keras.utils.set_random_seed(seed)
    np.set_printoptions(precision=4, suppress=True)
