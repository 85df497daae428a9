"""Fixtures for the real-browser tests: one JupyterLab and one Chromium shared by every browser
test. This folder has no __init__.py, so pytest treats their "package" scope as the session:
Playwright's event loop lives from the first browser test to the end of the run, and
`asyncio.run` in any test after one would fail. So the browser tests run last
(`pytest_collection_modifyitems` below).

Under CI=true a missing browser fails the run; elsewhere these tests skip with the reason.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import lab_session  # noqa: E402

SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in the test pins: run make test)"
    if not lab_session.chromium_available():
        return f"no Chromium at {lab_session.CHROMIUM} (apt-get install chromium)"
    return ""


@pytest.fixture(scope="package")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = lab_session.launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def lab(browser):
    """The one JupyterLab of the browser tests, with paramlab's save hook enabled as `make lab`
    enables it (in .venv's own Jupyter config, which the server's temporary config dir keeps)."""
    lab_session.ensure_save_hook()
    with lab_session.server() as server:
        yield server


@pytest.fixture(scope="package")
def lab_url(lab):
    return lab.url


def new_page(browser, lab_url, **context_args):
    """A page in a fresh browser context; its kernels are shut down when the test is done."""
    context = browser.new_context(**context_args)
    try:
        yield context.new_page()
    finally:
        context.close()
        lab_session.shutdown_kernels(lab_url)


@pytest.fixture
def page(browser, lab_url):
    yield from new_page(browser, lab_url, viewport=DESKTOP)


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests after every other test (the order among each kept)."""
    here = Path(__file__).resolve().parent
    items.sort(key=lambda item: here in Path(item.path).resolve().parents)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
