"""What a learner meets in the first hour: locked controls that look locked, values that come
back, read-outs that wrap between terms, the Keras line in view, bugs said out loud, and a
static stand-in for a notebook without a kernel."""

from __future__ import annotations

import asyncio
import html
import re

import ipywidgets as W
import pytest

from paramlab.core.terms import fmt
from paramlab.ui import _display, _stand_in
from paramlab.ui.explorers import (
    BatchNormExplorer,
    Conv1DExplorer,
    Conv2DExplorer,
    DenseExplorer,
    RecurrentExplorer,
)

EXPLORERS = [DenseExplorer, Conv1DExplorer, Conv2DExplorer, RecurrentExplorer, BatchNormExplorer]
NOWRAP = re.compile(r'<span style="white-space:pre">(.*?)</span>')


# --- 1. a locked control looks locked -------------------------------------------------------


def test_strides_lock_dilation_rate_visibly_and_release_it():
    e = Conv1DExplorer()
    dilation = e.controls["dilation_rate"]
    e.controls["strides"].value = 2
    assert dilation.disabled and dilation.value == 1 and dilation.max == 8
    note = "dilation_rate is locked at 1 while strides > 1: Keras refuses both at once"
    assert e.notes == (note,)
    assert note in e.text
    assert html.escape(note) in e._notes_html.value  # shown beside the controls
    dilation.value = 5  # a locked control does not move (a notebook cell might try)
    assert dilation.value == 1 and e.controls["strides"].value == 2
    assert "(checked)" in e.text
    e.controls["strides"].value = 1
    assert not dilation.disabled
    assert e.notes == () and e._notes_html.value == ""


def test_dilation_rate_locks_strides_visibly():
    e = Conv1DExplorer(kernel_size=3, dilation_rate=2)
    strides = e.controls["strides"]
    assert strides.disabled and strides.value == 1 and strides.max == 8
    assert e.notes == (
        "strides is locked at 1 while dilation_rate > 1: Keras refuses both at once",
    )
    e.controls["dilation_rate"].value = 1
    assert not strides.disabled


def test_reset_after_is_locked_with_a_reason_outside_gru():
    e = RecurrentExplorer(cell="LSTM")
    assert e.controls["reset_after"].disabled
    assert e.notes == ("reset_after is locked while cell='LSTM': only GRU has a reset gate",)
    e.controls["cell"].value = "GRU"
    assert not e.controls["reset_after"].disabled and e.notes == ()


# --- 2. a lowered value comes back, and the change is said ----------------------------------


def test_conv1d_kernel_comes_back_when_steps_go_back_up():
    e = Conv1DExplorer(kernel_size=9)
    kernel = e.controls["kernel_size"]
    e.controls["steps"].value = 4
    assert kernel.value == 4
    note = "kernel_size lowered from 9 to 4 to fit 4 valid steps"
    assert e.notes == (note,) and note in e.text and html.escape(note) in e._notes_html.value
    assert "(checked)" in e.text
    e.controls["steps"].value = 45
    assert kernel.value == 9 and kernel.max == 45  # a 'valid' kernel fits the steps
    assert e.notes == ()


def test_conv1d_kernel_fits_dilation_and_padding():
    e = Conv1DExplorer(kernel_size=9, steps=20)
    e.controls["dilation_rate"].value = 4
    assert e.controls["kernel_size"].value == 5  # (5 - 1) * 4 + 1 = 17 <= 20 < (6 - 1) * 4 + 1
    assert "kernel_size lowered from 9 to 5 to fit 20 valid steps at dilation_rate=4" in e.text
    e.controls["padding"].value = "causal"
    assert e.controls["kernel_size"].value == 9
    assert e.notes == (
        "strides is locked at 1 while dilation_rate > 1: Keras refuses both at once",
    )


def test_a_value_the_learner_picks_while_lowered_becomes_their_choice():
    e = Conv1DExplorer(kernel_size=9)
    e.controls["steps"].value = 4
    e.controls["kernel_size"].value = 3
    assert e.notes == ()
    e.controls["steps"].value = 45
    assert e.controls["kernel_size"].value == 3


def test_conv2d_kernel_comes_back_when_the_image_grows():
    e = Conv2DExplorer(kernel_size=9)
    e.controls["height"].value = 4
    assert e.controls["kernel_size"].value == 4
    assert e.notes == ("kernel_size lowered from 9 to 4 to fit the 4 x 32 valid input",)
    e.controls["width"].value = 3
    assert "kernel_size lowered from 9 to 3 to fit the 4 x 3 valid input" in e.text
    e.controls["padding"].value = "same"
    assert e.controls["kernel_size"].value == 9 and e.notes == ()
    e.controls["padding"].value = "valid"
    e.controls["height"].value = 30
    e.controls["width"].value = 30
    assert e.controls["kernel_size"].value == 9 and "(checked)" in e.text


# --- 3. wrap between terms, never inside one; numbers written one way -----------------------


def outside_nowrap(html: str) -> str:
    return NOWRAP.sub("", html)


def test_formulas_never_break_inside_a_bracket_or_a_product():
    e = Conv1DExplorer(steps=100, kernel_size=3)
    out = e._readout.value
    assert "(L - k)" in out and "(L - k)" not in outside_nowrap(out)
    assert "(100 - 3)" in out and "(100 - 3)" not in outside_nowrap(out)
    assert "(batch, 98, 32)" in out and "(batch, 98, 32)" not in outside_nowrap(out)
    assert "3 * 45 * 32" in out and "3 * 45 * 32" not in outside_nowrap(out)
    assert "white-space:pre-wrap" in out  # between segments it wraps


def test_segments_break_between_terms_and_arguments():
    from paramlab.ui.explorers._readout import segments

    parts = [p for p in segments("steps out = (L - k) // s + 1 = (9 - 3) // 1 + 1 = 7") if p != " "]
    assert parts == ["steps", "out", "= (L - k) // s", "+ 1", "= (9 - 3) // 1", "+ 1", "= 7"]
    heading = segments(
        "Conv2D(filters=8, kernel_size=(3, 3), padding='same') on input (batch, 5, 5)"
    )
    assert [p for p in heading if p != " "] == [
        "Conv2D(filters=8,",
        "kernel_size=(3, 3),",
        "padding='same')",
        "on",
        "input",
        "(batch, 5, 5)",
    ]
    assert "".join(segments("  kernel (5, 45, 32): a * b = 1")) == "  kernel (5, 45, 32): a * b = 1"


BIG = {
    DenseExplorer: {"units": 1024, "input_dim": 2048},
    Conv1DExplorer: {"filters": 1024, "channels": 3, "steps": 4096, "kernel_size": 1500},
    Conv2DExplorer: {"filters": 1000, "channels": 1100, "height": 1200, "width": 1300},
    RecurrentExplorer: {"cell": "GRU", "units": 100, "input_dim": 5000, "bidirectional": True},
    BatchNormExplorer: {"features": 4096},
}


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_every_count_has_thousands_separators(cls):
    e = cls(**BIG[cls])

    # Code is the exception: a Keras argument (`units=1024`) and a shape (`(784, 1024)`).
    def counts(text: str) -> list[str]:
        return re.findall(r"(?<![\w=,])\d{4,}", SHAPE.sub("", text))

    assert counts(e.text) == [], e.text
    assert counts(outside_nowrap(e._readout.value)) == []


SHAPE = re.compile(r"\((?:\d+|None|batch)(?:, (?:\d+|None|batch))*,?\)")


def test_shapes_keep_their_digits_bare():
    e = DenseExplorer(units=1024, input_dim=2048)
    assert "kernel (2048, 1024): input_dim * units = 2,048 * 1,024 = 2,097,152" in e.text
    assert "Output shape: (batch, 1024)" in e.text


# --- 4. the Keras line stays in view beside the controls ------------------------------------


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_keras_line_sits_under_the_controls_and_everything_fits_the_width(cls):
    e = cls()
    box = e.widget()
    controls, notes, keras, readout = box.children
    assert list(controls.children) == list(e.controls.values())
    assert controls.layout.flex_flow == "row wrap"
    assert keras is e._keras_html and "Keras builds this layer" in keras.value
    assert readout is e._readout
    for widget in (box, controls, notes, keras, readout, *e.controls.values()):
        layout = widget.layout
        assert layout.max_width == "100%"
        for size in (layout.width, layout.min_width):
            assert size is None or not size.endswith("px")
    lines = e.text.splitlines()
    assert lines[len(e.notes)].startswith("Keras builds this layer")


# --- 5. a bug in a callback is said out loud, in the widget ---------------------------------


def test_a_failing_formula_is_shown_not_lost(monkeypatch):
    from paramlab.ui.explorers import dense as module

    e = DenseExplorer()

    def boom(*args, **kwargs):
        return 1 / 0

    monkeypatch.setattr(module.F, "dense", boom)
    e.controls["units"].value = 11  # must not raise
    message = (
        "Something went wrong updating (ZeroDivisionError: division by zero). "
        "Please try again or tell your instructor."
    )
    assert message in e.text
    assert "ZeroDivisionError" in e._readout.value
    monkeypatch.undo()
    e.controls["units"].value = 12
    assert "Something went wrong" not in e.text and "(checked)" in e.text


def test_a_failing_keras_check_is_shown_not_lost(monkeypatch):
    from paramlab.ui.explorers import _base

    e = Conv1DExplorer()

    def boom(layer, input_shape):
        raise RuntimeError("the build broke")

    monkeypatch.setattr(_base, "keras_count", boom)
    e.controls["filters"].value = 8
    message = (
        "Something went wrong checking with Keras (RuntimeError: the build broke). "
        "Please try again or tell your instructor."
    )
    assert message in e.text.splitlines()
    assert "RuntimeError: the build broke" in e._keras_html.value


def test_a_failing_deferred_check_in_a_kernel_is_shown(monkeypatch):
    from paramlab.ui.explorers import _base, _deferred

    monkeypatch.setattr(_deferred, "kernel_loop", asyncio.get_running_loop)

    def boom(layer, input_shape):
        raise KeyError("weights")

    async def scenario():
        e = DenseExplorer()
        monkeypatch.setattr(_base, "keras_count", boom)
        e.controls["units"].value = 20
        await asyncio.sleep(0.4)
        return e

    e = asyncio.run(scenario())
    assert "Something went wrong checking with Keras (KeyError: 'weights')" in e.text


# --- 6. a static stand-in: the same read-out, as HTML ---------------------------------------


def displayed(e, monkeypatch) -> dict:
    shown: list[dict] = []
    monkeypatch.setattr(_display, "display", lambda b, metadata=None, raw=False: shown.append(b))
    e._ipython_display_()
    (bundle,) = shown
    return bundle


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda c: c.__name__)
def test_display_carries_the_live_view_text_and_a_static_read_out(cls, monkeypatch):
    e = cls()
    bundle = displayed(e, monkeypatch)
    assert _stand_in.WIDGET_VIEW in bundle
    assert bundle["text/plain"] == e.text
    static = bundle["text/html"]
    assert e._keras_html.value in static and e._readout.value in static
    assert e._notes_html.value in static
    assert "Keras builds this layer" in static and "(checked)" in static
    assert _display.STAND_IN_NOTE in static
    assert "id=" not in static and "model_id" not in static
    assert static == displayed(cls(), monkeypatch)["text/html"]  # deterministic


def test_display_settles_a_pending_check_first(monkeypatch):
    e = DenseExplorer()
    e.update(units=33)
    assert "Keras builds this layer: checking..." in e.text
    bundle = displayed(e, monkeypatch)
    wanted = f"Keras builds this layer: {fmt(33 * 785)} parameters, output (None, 33) (checked)"
    assert wanted in bundle["text/plain"].splitlines()
    assert wanted in html.unescape(re.sub(r"<[^>]+>", "", bundle["text/html"]))


def test_the_live_view_is_one_box_reused():
    e = DenseExplorer()
    assert e.widget() is e.widget()
    assert isinstance(e.widget(), W.VBox)
