"""Headless checks behind the browser's accessibility tests: nothing plays by itself, reduced
motion hides Play (in CSS, no kernel round trip) and leaves the step buttons, feedback colours
read at WCAG AA on white, and every explorer, picture and Choice is shown with the script that
names its controls."""

from __future__ import annotations

import re

import ipywidgets as W
import pytest

import paramlab
from paramlab.core import _style
from paramlab.ui import _aria
from paramlab.ui.pictures import _canvas

PICTURES = [paramlab.Conv1DPicture, paramlab.Conv2DPicture]


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted([luminance(colour), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("cls", PICTURES)
def test_no_picture_plays_by_itself(cls):
    p = cls()
    assert p.play.playing is False and p.play.repeat is False
    assert p.slider.value == p.play.value == 0


def test_reduced_motion_hides_play_in_css_and_keeps_the_step_buttons():
    css = _canvas.FIT_CSS
    rule = re.search(r"@media \(prefers-reduced-motion: reduce\) \{(.*?)\}\s*\}", css, re.S)
    assert rule, css
    assert f".{_canvas.PICTURE_CLASS} .{_canvas.PLAY_CLASS}" in rule[1]
    assert "display: none" in rule[1]
    p = paramlab.Conv1DPicture()
    assert _canvas.PLAY_CLASS in p.play._dom_classes
    for button in (p.stepper.back, p.stepper.forward):
        assert _canvas.PLAY_CLASS not in button._dom_classes
    p.stepper.forward.click()
    assert p.position == 1
    p.stepper.back.click()
    assert p.position == 0


TEXT_COLOURS = [
    *_style.FEEDBACK_COLOURS.values(),
    _style.BLUE,
    _style.GREY_TEXT,
    _style.VERMILLION_TEXT,
]


@pytest.mark.parametrize("colour", TEXT_COLOURS)
def test_text_colours_read_at_aa_on_white(colour):
    assert contrast(colour) >= 4.5, colour


def test_named_wraps_the_widget_with_the_naming_script():
    box = W.VBox()
    outer = _aria.named(box)
    assert outer.children[0] is box and _aria.NAMED_CLASS in outer._dom_classes
    script = outer.children[1]
    assert script.layout.display == "none"
    (output,) = script.outputs
    code = output["data"]["application/javascript"]
    assert code == _aria.SCRIPT and f"'.{_aria.NAMED_CLASS}'" in code
    for needed in ("aria-label", "noUi-handle", "widget-play", "data-lm-suppress-shortcuts"):
        assert needed in code


@pytest.mark.parametrize(
    ("make", "show"),
    [
        (lambda: paramlab.DenseExplorer(), "paramlab.ui.explorers._base.show"),
        (lambda: paramlab.Conv1DPicture(), "paramlab.ui._display.show"),
        (
            lambda: paramlab.Choice("Which?", [("a", True, "yes"), ("b", False, "no")]),
            "paramlab.ui.questions._base.show",
        ),
    ],
    ids=["explorer", "picture", "choice"],
)
def test_displayed_with_the_naming_script(make, show, monkeypatch):
    shown = []
    monkeypatch.setattr(show, lambda box, *a, **k: shown.append(box))
    widget = make()
    widget._ipython_display_()
    (outer,) = shown
    assert _aria.NAMED_CLASS in outer._dom_classes
    assert isinstance(outer.children[0], W.VBox) and len(outer.children) == 2
