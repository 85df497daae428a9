"""Shared test set-up: silence TensorFlow before keras is imported, a hypothesis budget, and
the markers and xdist groups every test gets from its path."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import pytest
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


# Markers and groups, by path. `make test` runs on every core (pytest-xdist, `--dist loadgroup`):
# the tests of one group run in one worker, in order, so they share what their fixtures start (a
# notebook's kernel, the hub, JupyterLab and Chromium); every other test is scheduled on its own.
# Two browser groups of about equal length, each with its own JupyterLab and Chromium, keep both
# cores busy. The groups are read from the path by the scheduler below: pytest-xdist 3.8's own
# loadgroup reads `xdist_group` marks through `item._nodeid`, which pytest 9.2 no longer uses.
TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
BROWSER_GROUPS = {
    "test_course_in_browser": "browser-lessons",
    "test_questions_in_browser": "browser-lessons",
    "test_narrow_windows": "browser-layout",
    "test_accessibility": "browser-layout",
    "test_coming_back": "browser-layout",
    "test_site_in_browser": "browser-layout",
}
# Modules whose module-scoped fixture builds something once (handouts, the static site): one
# worker each, so it is built once.
MODULE_GROUPS = {"test_handouts", "test_site"}
SLOW = {"test_applications", "test_make_lab"}
# The longest work first, so no core is left with a long group at the end.
FIRST = ["browser", "hub", "slow", "notebooks"]


def marks_for(path: Path) -> tuple[list[str], str | None]:
    """The markers and the group of a test collected from `path`."""
    if path.suffix == ".ipynb":
        return ["notebooks"], f"notebook-{path.stem}"
    if TESTS / "browser" in path.parents:
        group = BROWSER_GROUPS.get(path.stem)
        if group is None:
            raise pytest.UsageError(f"{path.name}: add it to BROWSER_GROUPS in tests/conftest.py")
        return ["browser"], group
    if path.stem == "test_hub":
        return ["hub"], "hub"
    if path.stem in SLOW:
        return ["slow"], None
    return [], path.stem if path.stem in MODULE_GROUPS else None


def rank(item) -> int:
    names, _ = marks_for(Path(item.path))
    return min((FIRST.index(name) for name in names), default=len(FIRST))


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in marks_for(Path(item.path))[0]:
            item.add_marker(getattr(pytest.mark, name))
    items.sort(key=rank)  # stable: the order within a rank is kept


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the groups above: one work unit per group, one per other test,
    handed out in collection order (`--no-loadscope-reorder`)."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PathGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            _, group = marks_for(ROOT / nodeid.split("::", 1)[0])
            return group or nodeid

    return PathGroups(config, log)
