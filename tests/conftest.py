"""Shared test set-up: silence TensorFlow before keras is imported, and a hypothesis budget.
(The markers and groups every test gets from its path are in the root conftest.py, which also
governs notebooks/.)"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

from hypothesis import HealthCheck, settings

# Building a Keras layer costs milliseconds; 40 random configurations per family keeps the
# whole suite within a few minutes on a 2-core machine. HYPOTHESIS_PROFILE=thorough for more.
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_addoption(parser):
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="rewrite tests/golden/*.txt from today's explain() output (on purpose only)",
    )
