"""Fixtures for the real-browser tests: one JupyterLab and one Chromium for the module, so the
browser (and the event loop Playwright runs) is gone before the other tests start.

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


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in the test pins: run make test)"
    if not lab_session.chromium_available():
        return f"no Chromium at {lab_session.CHROMIUM} (apt-get install chromium)"
    return ""


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def lab_url(browser):
    with lab_session.jupyterlab() as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
