"""The course in a real browser: every notebook runs clean in JupyterLab, widgets render,
pictures appear, explorers answer the keyboard with Keras' own number, Play animates."""

from __future__ import annotations

import re

import lab_session
import pytest
from conftest import SCREENSHOTS
from keras import layers as L

NOTEBOOKS = [
    "00_start_here",
    "01_dense",
    "02_conv1d_vs_conv2d",
    "03_the_cs231n_confusion",
    "04_lstm_factor_of_four",
    "05_batchnorm_statistics",
    "06_reading_any_summary",
]
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


def notebook(page):
    return page.locator(lab_session.CURRENT)


def explorer_outputs(page):
    return (
        notebook(page).locator(".jp-OutputArea-output").filter(has_text="Keras builds this layer")
    )


def screenshot_whole_notebook(page, name: str) -> None:
    """Grow the window to the notebook's full height for one picture of every cell."""
    height = page.evaluate(
        "(sel) => document.querySelector(sel + ' .jp-WindowedPanel-outer').scrollHeight",
        lab_session.CURRENT,
    )
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 200, 16_000)})
    page.evaluate(
        "(sel) => { document.querySelector(sel + ' .jp-WindowedPanel-outer').scrollTop = 0; }",
        lab_session.CURRENT,
    )
    page.wait_for_timeout(500)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean(page, lab_url, name):
    lab_session.open_and_run(page, lab_url, f"{name}.ipynb")
    panel = notebook(page)
    screenshot_whole_notebook(page, name)
    text = panel.inner_text()
    assert "Traceback" not in text
    stderr = panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0
    assert "Error displaying widget" not in text
    assert "Loading widget..." not in text
    assert panel.locator(".jupyter-widgets button", has_text="Check").count() >= 3
    if name in HAS_PICTURES:
        assert panel.locator(".jupyter-matplotlib canvas").count() >= 1
    for index, expected in enumerate(EXPLORERS.get(name, [])):
        output = explorer_outputs(page).nth(index)
        before = KERAS_LINE.search(output.inner_text()).group(1)
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


def test_play_moves_the_window(page, lab_url):
    lab_session.open_and_run(page, lab_url, "02_conv1d_vs_conv2d.ipynb")
    picture = notebook(page).locator(".jp-OutputArea-output").filter(has_text="Conv1D picture:")
    picture = picture.first
    first = picture.locator("[role=note]").inner_text()
    assert "output step 0 of" in first
    picture.locator(".widget-play button").first.click()
    later = first
    for _ in range(40):  # the alt text is re-rendered on every frame: read it afresh
        page.wait_for_timeout(250)
        later = picture.locator("[role=note]").inner_text()
        if later != first:
            break
    assert later != first and re.search(r"output step [1-9]\d* of", later)
