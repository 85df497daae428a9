"""Tests never touch a learner's real progress record (`~/.paramlab/progress.json`).

For the whole pytest run (each xdist worker too), PARAMLAB_PROGRESS names a throw-away file, so
every question answered, in this process or in a notebook kernel nbval starts as its subprocess
(which inherits the environment), is recorded there. A hook rather than an autouse fixture:
nbval's cells are plain pytest items that request no fixtures, so a fixture would not be set
when only notebooks run.
"""

from __future__ import annotations

import contextlib

from paramlab.records._progress import scratch_record


def pytest_configure(config):
    scratch = contextlib.ExitStack()
    scratch.enter_context(scratch_record())
    config.add_cleanup(scratch.close)
