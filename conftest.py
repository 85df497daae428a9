"""Tests never touch a learner's real progress record (`~/.paramlab/progress.json`).

Set at import time, so every question answered during the pytest session, in this process or
in a notebook kernel nbval starts as its subprocess, is recorded in a throw-away directory.
"""

from __future__ import annotations

import os
import tempfile

_PROGRESS_DIR = tempfile.TemporaryDirectory(prefix="paramlab-progress-")  # removed at exit
os.environ["PARAMLAB_PROGRESS"] = os.path.join(_PROGRESS_DIR.name, "progress.json")
