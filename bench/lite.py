"""The browser edition, as a learner first meets it: a cold browser opens a lesson.

`make lite` is built (into a temporary folder), served from this machine, and Chromium with an
empty cache and storage opens lesson 01 (every request elsewhere blocked). Timed from the page's
request: the Pyodide kernel ready; the first explorer answering its slider (after Run All, as a
learner runs the lesson); the first question answered (a Quiz's Check, to its verdict). Also
the bytes the page downloaded until then. Goals (issue 19): first interaction within 15 s,
the download under 40 MB. Each run is a new browser context (nothing cached); the median of
`--runs` is reported.

    make bench      # or: .venv/bin/python -m bench.lite --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._common import Results, describe, machine
from tools import lab_server, lite
from tools.lite_browser import Visit, open_lesson, served

NOTEBOOK = "01_dense.ipynb"
FIRST_INTERACTION_S = 15.0
DOWNLOAD_MB = 40.0

EXPLORER = "Parameters"


def one_run(browser, server) -> tuple[float, float, float, int]:
    """(kernel ready, explorer answered, question answered) in seconds from the page's request,
    and the bytes the server sent by then (to the page, its workers, its service worker)."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    sent = server.sent
    visit = Visit.open(browser, base)
    try:
        page = visit.page()
        start = time.perf_counter()
        ready = open_lesson(page, base, NOTEBOOK)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        panel = page.locator(lab_server.CURRENT)
        explorer = (
            panel.locator(".jp-OutputArea-output")
            .filter(has=page.locator(".widget-slider"))
            .filter(has_text=EXPLORER)
            .first
        )
        handle = explorer.locator(".widget-slider .noUi-handle").first
        handle.wait_for(timeout=60_000)
        explorer.scroll_into_view_if_needed()  # as a learner scrolls to it
        before = explorer.inner_text()
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "([el, old]) => el.innerText !== old",
            arg=[explorer.element_handle(), before],
            timeout=30_000,
            polling=50,
        )
        answered = time.perf_counter() - start
        quiz = (
            panel.locator(".jp-OutputArea-output")
            .filter(has=page.locator("button", has_text="Check"))
            .filter(has=page.locator("input[type=text]"))
            .first
        )
        quiz.scroll_into_view_if_needed()
        quiz.locator("input[type=text]").first.fill("1")
        quiz.locator("button", has_text="Check").click()
        page.wait_for_function(
            "(el) => /Not quite|Right/.test(el.innerText)",
            arg=quiz.element_handle(),
            timeout=30_000,
            polling=50,
        )
        question = time.perf_counter() - start
        if visit.blocked:
            raise RuntimeError(f"requests left the folder: {visit.blocked[:3]}")
        return ready, answered, question, server.sent - sent
    finally:
        visit.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"machine: {describe(machine())}")
    with Results("lite") as results:
        if not lab_server.chromium_available():
            raise RuntimeError(f"no Chromium at {lab_server.CHROMIUM}: apt-get install chromium")
        from playwright.sync_api import sync_playwright

        with tempfile.TemporaryDirectory() as tmp:
            lite.build(Path(tmp) / "lite")
            with served(Path(tmp)) as server, sync_playwright() as playwright:
                browser = lab_server.launch_chromium(playwright)
                runs = [one_run(browser, server) for _ in range(args.runs)]
                browser.close()
        medians = (statistics.median(x) for x in zip(*runs, strict=True))
        ready, answered, question, downloaded = medians
        detail = f"median of {args.runs} cold runs, lesson {NOTEBOOK}"
        results.add("lite: kernel ready", ready, "s", detail=detail)
        results.add(
            "lite: first explorer answers", answered, "s", at_most=FIRST_INTERACTION_S,
            detail=detail,
        )  # fmt: skip
        results.add("lite: first question answered", question, "s", detail=detail)
        results.add(
            "lite: downloaded by then", downloaded / 1e6, "MB", below=DOWNLOAD_MB, digits=1,
            detail=detail,
        )  # fmt: skip
        for fig in results.figures:
            print(f"{fig.name}: {fig.shown} (goal {fig.goal})")
        return results.finish()


if __name__ == "__main__":
    sys.exit(main())
