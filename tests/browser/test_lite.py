"""The browser edition (make lite) in Chromium, served from this machine with every other
request blocked and recorded (none may happen).

The edition is built once for this module (tools/lite.py into a temporary folder, beside
nothing else: exactly what a static host would serve). Every lesson, appendix and the cheat
sheet opens in a browser of its own (a new context: empty cache and storage, as a learner
following a link): Run All, then each explorer's slider moves its read-out (and its Keras line
says where Keras checks it), each picture steps and plays, one Quiz is answered wrong (the slip
is named) then right, a Predict reveals the formula's figure, the solved question is in the
record the browser keeps; no console error. Lesson 01's page is then reloaded: the record is
still there, the kernel runs again, and the question and `paramlab.progress()` say so.

(One context per lesson, not one for all: JupyterLab restores the tabs a context had open, so
the ninth lesson would start nine kernels.)
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from paramlab.records._progress import BROWSER_FILE as BROWSER_RECORD
from tools import lab_server, lite, lite_wheels
from tools.lite_browser import Visit, open_lesson, run_in_kernel, static_server
from tools.notebook_parts import course_notebooks

NOTEBOOKS = [path.name for path in course_notebooks()]
PICTURES = {
    "02_conv1d_vs_conv2d.ipynb": 2,
    "03_the_cs231n_confusion.ipynb": 1,
    "08_transformer_block.ipynb": 1,
}
"""The pictures each lesson shows (at least): drawn as SVG in the edition."""
FULL_COURSE = "full course"
"""Said by every explorer's Keras line and every formula-revealed Predict in the edition."""

QUIZZES = """
import json
from paramlab.ui.questions.quiz import Quiz
found = [o for o in Out.values() if isinstance(o, Quiz)]
q = found[0] if found else None
wrong = next(iter(q.slips), q.answer + 1) if q else None
print(json.dumps(None if q is None else
      {"question": q.question, "answer": int(q.answer), "wrong": int(wrong),
       "slip": bool(q.slips)}))
"""
PROGRESS = """
import json, paramlab
report = paramlab.progress()
print(json.dumps({n: [q.question for q in report.notebook(n).solved] for n in NAMES}))
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The folder a static host would serve: the edition built once, in `lite/`."""
    root = tmp_path_factory.mktemp("deployed")
    lite.build(root / "lite", settings=lab_server.TEST_SETTINGS)  # every cell rendered
    return root


@pytest.fixture(scope="module")
def base(built):
    """The folder's address on a static server of its own."""
    with static_server(built) as url:
        yield url


@pytest.fixture
def visit(base, browser):
    """A browser context of its own on the served folder (a learner's browser)."""
    visit = Visit.open(browser, base)
    yield visit
    visit.close()


def outputs(page):
    return page.locator(lab_server.CURRENT).locator(".jp-OutputArea-output")


def wait_for(locator, pattern: str, timeout_ms: int = 20_000) -> str:
    text = ""
    for _ in range(timeout_ms // 200):
        text = locator.inner_text()
        if re.search(pattern, text):
            return text
        locator.page.wait_for_timeout(200)
    raise AssertionError(f"{pattern!r} never appeared in:\n{text}")


def changes(locator, before: str, timeout_ms: int = 10_000) -> str:
    for _ in range(timeout_ms // 200):
        now = locator.inner_text()
        if now != before:
            return now
        locator.page.wait_for_timeout(200)
    raise AssertionError(f"no change from:\n{before}")


def check_explorers(page) -> int:
    found = outputs(page).filter(has=page.locator(".widget-slider")).filter(has_text="Parameters")
    for i in range(found.count()):
        out = found.nth(i)
        out.scroll_into_view_if_needed()
        text = wait_for(out, FULL_COURSE)
        out.locator(".widget-slider .noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        changes(out, text)
        wait_for(out, FULL_COURSE)  # the read-out moved; the Keras line says where it runs
    return found.count()


def check_pictures(page) -> int:
    """Each stepping picture (SVG in the edition) steps and plays; a still one (the cs231n
    confusion) is drawn. How many pictures the lesson shows."""
    drawn = outputs(page).filter(has=page.locator("svg[role=img]"))
    found = drawn.filter(has=page.locator(".widget-play"))
    for i in range(found.count()):
        picture = found.nth(i)
        picture.scroll_into_view_if_needed()
        alt = picture.locator("[role=note]").first
        first = alt.inner_text()
        picture.locator("button", has_text="▶").first.click()
        stepped = changes(alt, first)
        picture.locator(".widget-play button").first.click()  # play
        changes(alt, stepped)
        picture.locator(".widget-play button").first.click()  # pause
    return drawn.count()


def check_a_quiz(page) -> str:
    """Answer the lesson's first Quiz wrong, then right: its question ("" if it has none)."""
    quiz = json.loads(run_in_kernel(page, QUIZZES))
    if quiz is None:
        return ""
    out = outputs(page).filter(has_text=quiz["question"][:60]).first
    out.scroll_into_view_if_needed()
    box = out.locator("input[type=text], textarea").first
    box.fill(str(quiz["wrong"]))
    out.locator("button", has_text="Check").click()
    said = wait_for(out, "Not quite")
    if quiz["slip"]:  # a known slip is named in words, not only refused
        assert "is not it." not in said, said
    box.fill(str(quiz["answer"]))
    out.locator("button", has_text="Check").click()
    wait_for(out, "Right")
    return quiz["question"]


def check_a_predict(page) -> bool:
    found = outputs(page).filter(has=page.locator("button", has_text="Commit and run"))
    if not found.count():
        return False
    # pinned by its question: a locator filtered by the button moves on once it is relabelled
    question = found.first.locator(".widget-html-content b").first.text_content()
    out = outputs(page).filter(has_text=question).first
    out.scroll_into_view_if_needed()
    out.locator("input[type=text], textarea").first.fill("1000")
    out.locator("button", has_text="Commit and run").click()
    text = wait_for(out, r"Exactly right|too (low|high)")
    assert "Something went wrong" not in text
    assert "paramlab's formula; the full course computes it with Keras" in text or (
        "Needs Keras" not in text
    )
    return True


def test_the_folder_holds_all_it_serves(built):
    """Every lesson under its own name; Pyodide and every wheel the regenerated lock names,
    with the lock's hash; the kernel told to load them from there and never from PyPI."""
    out = built / "lite"
    assert sorted(p.name for p in (out / "files").glob("*.ipynb")) == sorted(NOTEBOOKS)
    config = lite.check_config(out)
    kernel = config["litePluginSettings"][lite.KERNEL_PLUGIN]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    folder = out / "static" / "pyodide"
    lock = json.loads((folder / "pyodide-lock.json").read_text())
    wheels = {p.name for p in folder.glob("*.whl")}
    assert {e["file_name"] for e in lock["packages"].values()} == wheels
    for entry in lock["packages"].values():
        digest = hashlib.sha256((folder / entry["file_name"]).read_bytes()).hexdigest()
        assert digest == entry["sha256"], entry["file_name"]
        assert {lite_wheels.normalize(d) for d in entry["depends"]} <= set(lock["packages"])
    assert {"paramlab", "ipywidgets", "ipython", "micropip"} <= set(lock["packages"])


RECORD = """async (name) => {
  const file = await window.jupyterapp.serviceManager.contents.get(name, {content: true});
  if (file.format !== 'base64') return typeof file.content === 'string' ?
      file.content : JSON.stringify(file.content);
  return new TextDecoder().decode(Uint8Array.from(atob(file.content), c => c.charCodeAt(0)));
}"""
KERNEL_AFTER_RELOAD = NOTEBOOKS[1]
"""The lesson whose reloaded page also runs again, to hear paramlab say what it recorded."""
FAVICON = "/favicon.ico"
"""Chromium asks the host's root for it before JupyterLite names its own icon: the host's."""


def kept_record(page, timeout_s: float = 60) -> dict:
    """The learner's record as the browser's storage keeps it (read through JupyterLite's
    contents, not the kernel): once the reloaded app can answer."""
    for _ in range(int(timeout_s * 4)):
        try:
            return json.loads(page.evaluate(RECORD, BROWSER_RECORD))
        except Exception:  # the app is still starting
            page.wait_for_timeout(250)
    raise AssertionError(f"no {BROWSER_RECORD} in the browser's storage after a reload")


def own_errors(visit: Visit) -> list[str]:
    """The console errors, without the host's missing favicon (its HTTP line, and the
    console's own line for it, which names no address)."""
    favicons = sum(e.startswith("HTTP 404") and e.endswith(FAVICON) for e in visit.errors)
    kept = []
    for error in visit.errors:
        if error.startswith("HTTP 404") and error.endswith(FAVICON):
            continue
        if favicons and error.startswith("Failed to load resource") and "404" in error:
            favicons -= 1
            continue
        kept.append(error)
    return kept


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_lesson_runs_in_the_browser_alone(visit, notebook):
    page = visit.page()
    open_lesson(page, visit.base, notebook)
    lab_server.run_all(page)
    text = page.locator(lab_server.CURRENT).inner_text()
    assert "Traceback" not in text and "Error displaying widget" not in text
    explorers, pictures = check_explorers(page), check_pictures(page)
    assert pictures >= PICTURES.get(notebook, 0), f"{notebook}: {pictures} pictures drawn"
    quiz, predict = check_a_quiz(page), check_a_predict(page)
    if notebook[:2].isdigit():  # a lesson asks questions; the cheat sheet only computes
        assert quiz or predict, f"{notebook}: no question answered"
    if quiz:  # in the browser's storage (read by JupyterLite, not the kernel) ...
        record = kept_record(page)["notebooks"][notebook]
        assert quiz in record and record[quiz]["solved"], record
    if notebook == KERNEL_AFTER_RELOAD:  # ... where a reloaded page finds it (one lesson: the
        open_lesson(page, visit.base, notebook)  # same storage for every lesson, and a kernel
        assert kept_record(page)["notebooks"][notebook][quiz]["solved"]  # start costs 10 s)
        comes_back(page, notebook, quiz)
    print(f"{notebook}: {explorers} explorers, {pictures} pictures, quiz solved: {bool(quiz)}")
    assert visit.blocked == [], f"requests that left the folder: {visit.blocked}"
    assert own_errors(visit) == [], f"console errors: {visit.errors}"


def comes_back(page, notebook: str, question: str) -> None:
    """After the page is loaded again (its kernel started afresh): the question says the
    learner solved it, and `paramlab.progress()` lists it."""
    lab_server.run_all(page)
    out = outputs(page).filter(has_text=question[:60]).first
    wait_for(out, "[Ss]olved")
    solved = run_in_kernel(page, f"NAMES = [{notebook!r}]\n{PROGRESS}")
    assert question in json.loads(solved)[notebook], solved
