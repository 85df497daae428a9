"""Coming back to a notebook: run it, save it, let the kernel go, open it again.

A saved widget view names a model that lived only in the kernel that made it; without
paramlab's save hook the notebook opened again shows "Error displaying widget: model not found"
where the explorers, pictures and quizzes were. With it, the file on disk keeps only the static
stand-ins, and those show: the explorer's read-out, the picture as an image, the question.

In 01 a Quiz is answered wrong before saving: the saved stand-in carries the learner's record of
it ("Your record: ..."; other browser tests of the session may have answered it too, so its
wording is not pinned), the reopened notebook shows it before anything runs, and the stand-in's
advice works as written: the set-up cell, then the question's cell, bring the live question back
(no NameError), and it says what happened before.
"""

from __future__ import annotations

import json
import re

import lab_session
import pytest

from conftest import ROOT, SCREENSHOTS
from tools import lab_server

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
STAND_IN_KEY = "paramlab"
QUESTION = re.compile(r"^(Quiz|Choice|Predict): ")  # how each question's stand-in text begins
NOTEBOOKS = ["01_dense", "08_transformer_block"]
WIDGETS = {
    "explorers": re.compile(r"paramlab\.\w+Explorer\("),
    "pictures": re.compile(r"paramlab\.\w+Picture\("),
    "questions": re.compile(r"paramlab\.(Quiz|Choice|Predict)\("),
}


def displayed(name: str) -> tuple[int, int, int]:
    """(explorers, pictures, questions) the notebook displays: its code cells, one widget each."""
    notebook = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    explorers, pictures, questions = (
        sum(bool(pattern.search(s)) for s in sources) for pattern in WIDGETS.values()
    )
    assert explorers + pictures and questions, f"{name} displays no explorer, picture or question"
    return explorers, pictures, questions


SAVE = """async () => {
  const app = window.jupyterapp;
  const w = app.shell.currentWidget;
  await app.commands.execute('docmanager:save');
  return w.context.model.dirty;
}"""

SHUT_DOWN_KERNEL = """async () => {
  const w = window.jupyterapp.shell.currentWidget;
  await w.sessionContext.shutdown();
}"""

CLOSE_AND_REOPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = app.shell.currentWidget;
  w.close();
  await new Promise(r => setTimeout(r, 500));
  if (!w.isDisposed) { throw new Error('the notebook did not close: ' + path); }
  await app.commands.execute('docmanager:open', {path});
}"""

OPENED = """(path) => {
  const w = window.jupyterapp.shell.currentWidget;
  return !!w && !!w.context && w.context.path === path && w.context.isReady;
}"""

ALL_TRUSTED = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return cells.every(c => c.model.trusted);
}"""


RUN_CELLS = """async (indices) => {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  for (const index of indices) {
    notebook.activeCellIndex = index;
    await app.commands.execute('notebook:run-cell');
  }
}"""
RECORD = "Your record: "
WELCOME_BACK = "/You solved this before|Last time the answer was shown|You tried this before/"
ANSWERED = "01_dense"  # the notebook whose first Quiz is answered before saving


def first_quiz(name: str) -> tuple[int, int]:
    """The index of the set-up cell and of the first Quiz's cell in the notebook `name`."""
    cells = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    code = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    quiz = next(i for i in code if "paramlab.Quiz(" in "".join(cells[i]["source"]))
    return code[0], quiz


def answer_first_quiz_wrong(page) -> str:
    """Type 1 into the first Quiz's box and press Enter; the question's text."""
    panel = page.locator(lab_server.CURRENT)
    output = (
        panel.locator(".jp-OutputArea-output")
        .filter(has=page.locator("input[placeholder^='a number, or arithmetic']"))
        .filter(has=page.locator("button", has_text="Show the answer"))
        .first
    )
    output.scroll_into_view_if_needed()
    question = output.locator(".widget-html-content b").first.text_content()
    box = output.locator("input[placeholder^='a number, or arithmetic']")
    box.fill("1")
    box.press("Enter")
    page.wait_for_function(
        "(out) => out.innerText.includes('Not quite')", arg=output.element_handle()
    )
    return question


def saved_outputs(lab, name: str) -> list[dict]:
    notebook = json.loads((lab.root / f"{name}.ipynb").read_text(encoding="utf-8"))
    return [
        output
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if STAND_IN_KEY in (output.get("metadata") or {})
    ]


def check_stand_ins(page, name: str, saved: list[dict], when: str) -> None:
    """The notebook on show, with no live widget behind it, shows every stand-in, no error."""
    explorers, pictures, quizzes = displayed(name)
    panel = page.locator(lab_server.CURRENT)
    panel.locator(".jp-OutputArea-output").first.wait_for()
    page.wait_for_timeout(2000)  # a missing model is reported once the widget manager looks
    first = panel.locator(".jp-OutputArea-output img, .paramlab-static").first
    if first.count():
        first.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"coming_back_{name}_{when}.png"))
    text = panel.inner_text()
    assert "Error displaying widget" not in text, when
    assert "model not found" not in text, when
    assert "Loading widget..." not in text, when
    assert page.evaluate(ALL_TRUSTED), f"{when}: the saved notebook is not trusted"
    outputs = panel.locator(".jp-OutputArea-output")
    assert outputs.filter(has=page.locator(".jupyter-widgets")).count() == 0, when
    readouts = outputs.filter(has_text="Keras builds this layer")
    assert readouts.count() == explorers, when
    for i in range(explorers):
        assert readouts.nth(i).is_visible(), when
    plain = ["".join(o["data"]["text/plain"]) for o in saved]  # on disk: a list of lines
    questions = [QUESTION.sub("", t) for t in plain if QUESTION.match(t)]
    assert len(questions) == quizzes, questions
    for question in questions:
        shown = outputs.filter(has_text=question.splitlines()[0][:60])
        assert shown.count() == 1 and shown.first.is_visible(), f"{when}: {question!r}"
    images = panel.locator(".jp-OutputArea-output img")
    assert images.count() == pictures, f"{when}: {images.count()} images for {pictures} pictures"
    for i in range(pictures):
        box = images.nth(i).bounding_box()
        assert box and box["width"] > 50 and box["height"] > 50, (when, box)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_coming_back_to_a_notebook(page, lab, name):
    assert lab_session.SAVE_HOOK_LOADED in lab.log_text(), (
        "paramlab.ui._save_hook is not loaded by the test JupyterLab: run "
        "`.venv/bin/python -m paramlab.ui._save_hook` (make lab does)"
    )
    path = f"{name}.ipynb"
    explorers, pictures, quizzes = displayed(name)
    lab_server.open_and_run(page, lab.url, path)
    panel = page.locator(lab_server.CURRENT)
    live = panel.locator(".jp-OutputArea-output").filter(has=page.locator(".jupyter-widgets"))
    assert live.count() == explorers + pictures + quizzes
    assert "Error displaying widget" not in panel.inner_text()
    question = answer_first_quiz_wrong(page) if name == ANSWERED else ""

    assert page.evaluate(SAVE) is False, "the notebook is still dirty after saving"
    outputs = saved_outputs(lab, name)
    if question:  # the saved stand-in carries the learner's record of it
        (answered,) = [
            o for o in outputs if "".join(o["data"]["text/plain"]).startswith(f"Quiz: {question}")
        ]
        assert RECORD in "".join(answered["data"]["text/plain"]).splitlines()[-1]
    assert len(outputs) == explorers + pictures + quizzes, "paramlab outputs in the saved file"
    kept = [sorted(o["data"]) for o in outputs if WIDGET_VIEW in o["data"]]
    assert not kept, f"the saved file still holds live widget views: {kept}"
    assert all("text/html" in o["data"] or "image/png" in o["data"] for o in outputs)
    with_png = [o for o in outputs if "image/png" in o["data"]]
    assert len(with_png) == pictures, "each picture is saved with a PNG of its figure"

    page.evaluate(SHUT_DOWN_KERNEL)
    sessions = lab_session.api(lab.url, "/api/sessions")
    assert not [s for s in sessions if s["path"] == path], sessions

    # Close the tab and open the notebook again in the same page (a new kernel starts) ...
    page.evaluate(CLOSE_AND_REOPEN, path)
    page.wait_for_function(OPENED, arg=path, timeout=60_000)
    page.wait_for_function(lab_server.KERNEL_READY, timeout=120_000)
    check_stand_ins(page, name, outputs, "reopened")

    # ... and come back another day: kernel gone, a new page load, nothing in memory.
    lab_session.shutdown_kernels(lab.url)
    lab_server.open_notebook(page, lab.url, path)
    check_stand_ins(page, name, outputs, "reloaded")
    if not question:
        return
    panel = page.locator(lab_server.CURRENT)
    shown = panel.locator(".jp-OutputArea-output", has_text=question[:60])
    assert RECORD in shown.first.inner_text(), "the reopened notebook shows the learner's record"
    # The stand-in's advice, as written: the set-up cell, then the question's own cell.
    page.evaluate(RUN_CELLS, list(first_quiz(name)))
    live = (
        panel.locator(".jp-OutputArea-output")
        .filter(has_text=question[:60])
        .filter(has=page.locator(".jupyter-widgets"))
    )
    live.first.wait_for(timeout=60_000)
    page.wait_for_function(
        f"(out) => {WELCOME_BACK}.test(out.innerText)",
        arg=live.first.element_handle(),
        timeout=30_000,
    )
    assert "NameError" not in panel.inner_text()
