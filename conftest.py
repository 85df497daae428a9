"""What every test run needs, tests/ and notebooks/ alike: a throw-away progress record, and
each test's markers and group by its path (the groups pytest-xdist schedules by).

Tests never touch a learner's real progress record (`~/.paramlab/progress.json`).

For the whole pytest run (each xdist worker too), PARAMLAB_PROGRESS names a throw-away file, so
every question answered, in this process or in a notebook kernel nbval starts as its subprocess
(which inherits the environment), is recorded there. A hook rather than an autouse fixture:
nbval's cells are plain pytest items that request no fixtures, so a fixture would not be set
when only notebooks run.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from paramlab.records._progress import scratch_record
from tools.notebook_parts import COURSE


def pytest_configure(config):
    grouped = set().union(*LESSON_GROUPS.values())
    if grouped != set(COURSE) or sum(map(len, LESSON_GROUPS.values())) != len(grouped):
        raise pytest.UsageError(
            "conftest.py: LESSON_GROUPS must hold every course notebook once. Received: "
            f"missing={sorted(set(COURSE) - grouped)}, unknown={sorted(grouped - set(COURSE))}"
        )
    scratch = contextlib.ExitStack()
    scratch.enter_context(scratch_record())
    config.add_cleanup(scratch.close)


# Markers and groups, by path. `make test` runs on every core (pytest-xdist, `--dist loadgroup`):
# the tests of one group run in one worker, in order, so they share what their fixtures start (a
# notebook's kernel, the hub, JupyterLab and Chromium); every other test is scheduled on its own.
# Three browser groups of about equal length, each with its own JupyterLab and Chromium, keep the
# cores busy. The groups are read from the path by the scheduler below: pytest-xdist 3.8's own
# loadgroup reads `xdist_group` marks through `item._nodeid`, which pytest 9.2 no longer uses.
ROOT = Path(__file__).resolve().parent
TESTS = ROOT / "tests"
# A browser test parametrized with a course notebook (`name`) shares that notebook's page with
# the notebook's other tests (tests/browser/conftest.py: `lesson`); they run one after another,
# in this order of modules, in one of two groups of notebooks of about equal length.
LESSON_MODULES = [
    "test_course_in_browser",
    "test_questions_in_browser",
    "test_accessibility",
    "test_narrow_windows",
    "test_on_screen",
]
LESSON_GROUPS = {
    "browser-lessons-a": {
        "01_dense",
        "02_conv1d_vs_conv2d",
        "05_batchnorm_statistics",
        "06_reading_any_summary",
        "appendix_keras2",
        "cheat_sheet",
    },
    "browser-lessons-b": {
        "00_start_here",
        "03_the_cs231n_confusion",
        "04_lstm_factor_of_four",
        "07_capstone",
        "08_transformer_block",
        "appendix_more_layers",
    },
}
# The browser tests with a page of their own (saving and coming back, the static site, reduced
# motion) form a third group.
BROWSER_OWN_PAGES = "browser-pages"
# The browser edition (tests/browser/test_lite.py): built once, its lessons opened one after
# another in one browser context (its storage is the learner's record): a group of its own.
BROWSER_LITE = "browser-lite"
# Modules whose module-scoped fixture builds something once (handouts, the static site): one
# worker each, so it is built once.
MODULE_GROUPS = {"test_handouts", "test_site"}
SLOW = {"test_applications", "test_make_lab"}
# The longest work first, so no core is left with a long group at the end.
FIRST = ["browser", "hub", "slow", "notebooks"]


def lesson_of(nodeid: str) -> str | None:
    """The course notebook a test id is parametrized with: `...[01_dense]`,
    `...[Predict-01_dense]`."""
    params = nodeid.rpartition("[")[2].rstrip("]").split("-") if nodeid.endswith("]") else []
    return next((p for p in params if any(p in names for names in LESSON_GROUPS.values())), None)


def marks_for(nodeid: str) -> tuple[list[str], str | None]:
    """The markers and the group of the test `nodeid` (a path from the root, then `::`)."""
    path = ROOT / nodeid.split("::", 1)[0]
    if path.suffix == ".ipynb":
        return ["notebooks"], f"notebook-{path.stem}"
    if TESTS / "browser" in path.parents:
        if path.stem == "test_lite":
            return ["browser"], BROWSER_LITE
        lesson = lesson_of(nodeid) if path.stem in LESSON_MODULES else None
        if lesson is None:
            return ["browser"], BROWSER_OWN_PAGES
        return ["browser"], next(g for g, names in LESSON_GROUPS.items() if lesson in names)
    if path.stem == "test_hub":
        return ["hub"], "hub"
    if path.stem in SLOW:
        return ["slow"], None
    return [], path.stem if path.stem in MODULE_GROUPS else None


def order(item) -> tuple:
    """Longest work first; within a browser group, by notebook, then by `LESSON_MODULES`."""
    names, group = marks_for(item.nodeid)
    rank = min((FIRST.index(name) for name in names), default=len(FIRST))
    if "browser" not in names:
        return (rank,)
    stem = Path(item.path).stem
    if stem not in LESSON_MODULES:
        return (rank, group)
    return (rank, group, lesson_of(item.nodeid) or "", LESSON_MODULES.index(stem))


def pytest_collection_modifyitems(config, items):
    for item in items:
        for name in marks_for(item.nodeid)[0]:
            item.add_marker(getattr(pytest.mark, name))
    items.sort(key=order)  # stable: the order within a key is kept


def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the groups above: one work unit per group, one per other test,
    handed out in collection order (`--no-loadscope-reorder`)."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class PathGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            _, group = marks_for(nodeid)
            return group or nodeid

    return PathGroups(config, log)
