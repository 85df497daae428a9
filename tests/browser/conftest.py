"""Fixtures for the real-browser tests: one Chromium and one JupyterLab shared by the browser
tests of a process (under pytest-xdist, of a worker), started on first use and stopped right
after the last browser test that process runs, not at the end of the session: while
Playwright's sync API lives it keeps an event loop, and `asyncio.run` in any later test of the
same process would fail.

A course notebook is run (Run All) once, not once per test: the `lesson` fixture hands every
test of one notebook the same page, and the root conftest.py runs them one after another (the
whole-page checks, the questions, the keyboard, the narrow windows, in that order). Tests that
need a page of their own (reduced motion, saving and coming back, the static site) make one.

Under CI=true a missing browser fails the run; elsewhere these tests skip with the reason.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lab_session
import pytest
from _require import require

from tools import lab_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

SCREENSHOTS = ROOT / "build" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}


def _missing() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (it is in the test pins: run make test)"
    if not lab_server.chromium_available():
        return f"no Chromium at {lab_server.CHROMIUM} (apt-get install chromium)"
    return ""


class Shared:
    """Chromium (through Playwright) and the test JupyterLab, each started when a test first
    asks for it, all stopped together by `close()`."""

    def __init__(self) -> None:
        self._stack: contextlib.ExitStack | None = None
        self._browser = None
        self._lab: lab_server.Lab | None = None
        self._lesson: Lesson | None = None

    def browser(self):
        if self._browser is None:
            require(_missing(), "the browser tests")
            from playwright.sync_api import sync_playwright

            self._stack = contextlib.ExitStack()
            playwright = self._stack.enter_context(sync_playwright())
            self._browser = lab_server.launch_chromium(playwright)
            self._stack.callback(self._browser.close)
        return self._browser

    def lab(self) -> lab_server.Lab:
        """The one JupyterLab, with paramlab's save hook enabled as `make lab` enables it (in
        .venv's own Jupyter config, which the server's temporary config dir keeps)."""
        if self._lab is None:
            self.browser()
            lab_session.ensure_save_hook()
            self._lab = self._stack.enter_context(lab_server.server())
        return self._lab

    def lesson(self, name: str) -> Lesson:
        """The page of notebook `name`, run once; the page of another notebook is closed."""
        if self._lesson is None or self._lesson.name != name:
            self._close_lesson()
            self._lesson = Lesson.run(self.browser(), self.lab().url, name)
        self._lesson.page.set_viewport_size(DESKTOP)
        return self._lesson

    def forget_lesson(self) -> None:
        """Close the shared lesson page; the next test that asks for one runs its notebook."""
        self._close_lesson()

    def _close_lesson(self) -> None:
        if self._lesson is not None:
            lesson, self._lesson = self._lesson, None
            lesson.context.close()
            lab_session.shutdown_kernels(self.lab().url)

    def close(self) -> None:
        if self._stack is not None:
            self._close_lesson()
            stack, self._stack, self._browser, self._lab = self._stack, None, None, None
            stack.close()


@dataclass
class Lesson:
    """A course notebook opened with the file browser beside it (as a learner keeps it) and run
    once, in a window of 1280 x 900 CSS px at a pixel ratio of 1.5 (a laptop at 150 % zoom when
    the narrow-window test shrinks it); the console errors it logged."""

    name: str
    context: Any
    page: Any
    errors: list[str] = field(default_factory=list)

    @classmethod
    def run(cls, browser, lab_url: str, name: str) -> Lesson:
        context = browser.new_context(viewport=DESKTOP, device_scale_factor=1.5)
        lesson = cls(name, context, context.new_page())
        lesson.page.on(
            "console", lambda m: lesson.errors.append(m.text) if m.type == "error" else None
        )
        try:
            lab_server.open_notebook(lesson.page, lab_url, f"{name}.ipynb")
            lab_session.show_file_browser(lesson.page)
            lab_server.run_all(lesson.page)
        except BaseException:
            context.close()
            raise
        return lesson


SHARED = Shared()


@pytest.fixture
def browser():
    return SHARED.browser()


@pytest.fixture
def lab(browser):
    return SHARED.lab()


@pytest.fixture
def lab_url(lab):
    return lab.url


@pytest.fixture
def lesson(browser, lab_url, name) -> Lesson:
    """The shared, already run page of the course notebook the test is parametrized with
    (`name`)."""
    return SHARED.lesson(name)


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


def is_browser_test(item) -> bool:
    return HERE in Path(item.path).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's own fixtures are torn down: stop Chromium and JupyterLab when the next
    test of this process is not a browser test (they start again if one comes later)."""
    result = yield
    if nextitem is None or not is_browser_test(nextitem):
        SHARED.close()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A lesson test that failed may have left its page half-way (a deck still presenting, a
    picture playing): the notebook's next test gets a page run afresh."""
    report = yield
    if report.failed and "lesson" in getattr(item, "fixturenames", ()):
        SHARED.forget_lesson()
    return report


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS}")
