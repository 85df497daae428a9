"""The course in a real browser: every notebook runs clean in JupyterLab, widgets render,
pictures appear, explorers answer the keyboard with Keras' own number, Play animates; then the
same notebook is presented as a deck (jupyterlab-slideshow, as `make lecture` does): forward and
back move between the authored slides, and the explorers and pictures respond on their slides.
No console error on the way."""

from __future__ import annotations

import json
import re

import pytest
from keras import layers as L

from conftest import ROOT, SCREENSHOTS
from tools import lab_server
from tools.notebook_parts import COURSE

NOTEBOOKS = list(COURSE)
HAS_PICTURES = {"02_conv1d_vs_conv2d", "03_the_cs231n_confusion"}


def keras_count(layer, shape) -> int:
    layer.build(shape)
    return layer.count_params()


# What the first slider of each explorer becomes after one ArrowRight, built by Keras here.
EXPLORERS = {
    "01_dense": [lambda: keras_count(L.Dense(11), (None, 784))],
    "02_conv1d_vs_conv2d": [
        lambda: keras_count(L.Conv1D(65, 3), (None, 100, 1)),
        lambda: keras_count(L.Conv2D(37, 3), (None, 26, 26, 24)),
    ],
    "03_the_cs231n_confusion": [
        lambda: keras_count(L.Conv1D(33, 5, padding="same"), (None, 45, 45))
    ],
    "04_lstm_factor_of_four": [lambda: keras_count(L.LSTM(65), (None, 10, 6))],
    "05_batchnorm_statistics": [lambda: keras_count(L.BatchNormalization(), (None, 33))],
}
KERAS_LINE = re.compile(r"Keras builds this layer: ([\d,]+) parameters.*\(checked\)")


def checked_count(page, output, timeout_ms: int = 20_000) -> str:
    """The explorer's Keras-checked count, once its deferred check has settled."""
    output.scroll_into_view_if_needed()  # cells out of view may not lay out their text
    for _ in range(timeout_ms // 250):
        match = KERAS_LINE.search(output.inner_text())
        if match:
            return match.group(1)
        page.wait_for_timeout(250)
    raise AssertionError(f"no checked Keras line in:\n{output.inner_text()}")


def notebook(page):
    return page.locator(lab_server.CURRENT)


def explorer_outputs(page):
    return (
        notebook(page).locator(".jp-OutputArea-output").filter(has_text="Keras builds this layer")
    )


def screenshot_whole_notebook(page, name: str) -> None:
    """Grow the window to the notebook's full height for one picture of every cell."""
    height = page.evaluate(
        "(sel) => document.querySelector(sel + ' .jp-WindowedPanel-outer').scrollHeight",
        lab_server.CURRENT,
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 200, 16_000)})
    page.evaluate(
        "(sel) => { document.querySelector(sel + ' .jp-WindowedPanel-outer').scrollTop = 0; }",
        lab_server.CURRENT,
    )
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean(lesson, name):
    page = lesson.page
    panel = notebook(page)
    screenshot_whole_notebook(page, name)
    text = panel.inner_text()
    assert "Traceback" not in text
    stderr = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0
    assert "Error displaying widget" not in text
    assert "Loading widget..." not in text
    if name[:2].isdigit():  # a lesson asks questions; the cheat sheet only computes
        assert panel.locator(".jupyter-widgets button", has_text="Check").count() >= 3
    if name in HAS_PICTURES:
        assert panel.locator(".jupyter-matplotlib canvas").count() >= 1
    for index, expected in enumerate(EXPLORERS.get(name, [])):
        output = explorer_outputs(page).nth(index)
        before = checked_count(page, output)
        output.locator(".widget-slider .noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        number = f"{expected():,}"
        wanted = f"Keras builds this layer: {number} parameters"
        for _ in range(60):
            if wanted in output.inner_text():
                break
            page.wait_for_timeout(250)
        after = KERAS_LINE.search(output.inner_text()).group(1)
        assert after == number != before
    present(page, name)
    assert not lesson.errors, f"console errors: {lesson.errors}"


@pytest.mark.parametrize("name", ["02_conv1d_vs_conv2d"])
def test_play_moves_the_window(lesson, name):
    """Play, clicked in the notebook (not on a slide): the window moves on its own."""
    page = lesson.page
    picture = notebook(page).locator(".jp-OutputArea-output").filter(has_text="Conv1D picture:")
    picture = picture.first
    picture.scroll_into_view_if_needed()
    first = picture.locator("[role=note]").inner_text()
    assert re.search(r"output step \d+ of", first), first
    picture.locator(".widget-play button").first.click()
    later = first
    for _ in range(40):  # the alt text is re-rendered on every frame: read it afresh
        page.wait_for_timeout(250)
        later = picture.locator("[role=note]").inner_text()
        if later != first:
            break
    assert later != first and re.search(r"output step \d+ of", later)
    picture.locator(".widget-play button").first.click()  # pause: the page is shared


DECK_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const shown = c => c.node.getBoundingClientRect().height > 0 &&
    getComputedStyle(c.node).display !== 'none' && getComputedStyle(c.node).visibility !== 'hidden';
  return {
    mode: document.body.dataset.jpDeckMode || '',
    active: w.content.activeCellIndex,
    visible: w.content.widgets.map((c, i) => shown(c) ? i : -1).filter(i => i >= 0),
  };
}"""
GO_TO_CELL = "(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }"


def deck(page, command: str) -> dict:
    page.evaluate(f"() => window.jupyterapp.commands.execute('deck:{command}')")
    page.wait_for_timeout(400)
    return page.evaluate(DECK_STATE)


def slide_plan(name: str) -> tuple[list[str], dict[str, list[int]]]:
    """Each cell's slide type as stored, and the cells of the explorers and pictures."""
    cells = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text("utf-8"))["cells"]
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") or "-" for c in cells]
    sources = ["".join(c["source"]) if c["cell_type"] == "code" else "" for c in cells]
    live = {
        "explorer": [i for i, s in enumerate(sources) if re.search(r"paramlab\.\w+Explorer\(", s)],
        "picture": [i for i, s in enumerate(sources) if re.search(r"paramlab\.\w+Picture\(", s)],
    }
    return kinds, live


def present(page, name: str) -> None:
    """Start the deck on the first cell, step forward and back, then visit every explorer and
    picture on its slide and make it respond; stop the deck."""
    kinds, live = slide_plan(name)
    page.evaluate(GO_TO_CELL, 0)
    start = deck(page, "start")
    assert start["mode"] == "presenting", start
    assert start["visible"] and start["visible"][0] == 0, start
    seen = [start]
    for _ in range(3):
        seen.append(deck(page, "forward"))
    actives = [s["active"] for s in seen]
    assert actives == sorted(actives) and actives[-1] > actives[0], seen
    for state in seen:  # on show: one authored slide, never a skipped or notes cell
        assert all(kinds[i] not in ("skip", "notes") for i in state["visible"]), state
        assert kinds[state["visible"][0]] in ("slide", "subslide"), (state, kinds)
    back = deck(page, "back")
    assert back["active"] < seen[-1]["active"], (seen, back)
    panel = notebook(page)
    for index in live["explorer"]:
        page.evaluate(GO_TO_CELL, index)
        page.wait_for_timeout(400)
        output = (
            panel.locator(".jp-Cell")
            .nth(index)
            .locator(".jp-OutputArea-output")
            .filter(has_text="Keras builds this layer")
        )
        assert output.is_visible() and output.bounding_box()["y"] < page.viewport_size["height"]
        before = checked_count(page, output)
        output.locator(".widget-slider .noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        for _ in range(60):
            match = KERAS_LINE.search(output.inner_text())
            if match and match.group(1) != before:
                break
            page.wait_for_timeout(250)
        assert match and match.group(1) != before, f"explorer in cell {index} did not respond"
        assert page.evaluate(DECK_STATE)["mode"] == "presenting"
    for index in live["picture"]:
        page.evaluate(GO_TO_CELL, index)
        page.wait_for_timeout(400)
        picture = panel.locator(".jp-Cell").nth(index)
        canvas = picture.locator(".jupyter-matplotlib canvas").first
        assert canvas.is_visible(), f"the picture in cell {index} is not on its slide"
        play = picture.locator(".widget-play button").first
        if not play.count():  # the confusion picture is still: two readings, no window to move
            continue
        note = picture.locator("[role=note]").first
        first = note.inner_text()
        play.dispatch_event("click")  # in a deck the output's prompt overlay covers the button
        later = first
        for _ in range(40):
            page.wait_for_timeout(250)
            later = note.inner_text()
            if later != first:
                break
        assert later != first, f"Play did not move the picture in cell {index}"
        play.dispatch_event("click")  # pause again
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"deck_{name}.png"))
    assert deck(page, "stop")["mode"] != "presenting"
