"""Read-outs a learner can read in a narrow notebook, and limits that are never quiet, headless
and against real Keras layers (tests/browser/test_on_screen.py checks the same in Chromium).

- Bidirectional: the count is the two directions' sum; each direction's sum and weights follow,
  one line each, forward then backward; no line holds a wall of numbers; in the HTML a wrapped
  line hangs further in than its start.
- kernel_size: a value past what Keras accepts for a 'valid' input (typed in the browser, which
  stops it at the slider's end and never tells the kernel) is met with a note saying why; the
  limit is in the control's tooltip before that; it is exactly the longest kernel Keras builds.
"""

from __future__ import annotations

import html
import math
import re

import pytest
from keras import layers as L

from paramlab.core.terms import fmt
from paramlab.ui.explorers import Conv1DExplorer, Conv2DExplorer, RecurrentExplorer
from paramlab.ui.explorers._readout import HANG, segments

CELLS = {"LSTM": L.LSTM, "GRU": L.GRU, "SimpleRNN": L.SimpleRNN}
# Longer than this, a read-out line wraps onto more than 3 lines in an 800 px notebook with the
# file browser open (about 45 monospace characters a line).
LONGEST = 100


def keras_bidirectional(cell: str, use_bias: bool):
    layer = L.Bidirectional(CELLS[cell](64, use_bias=use_bias))
    layer.build((None, 10, 6))
    return layer


def readout_lines(e) -> list[str]:
    """The read-out's lines, from its layer heading on (the Keras line and notes left out)."""
    lines = e.text.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("Bidirectional(")) :]


def last_number(line: str) -> int:
    return int(line.rsplit("= ", 1)[1].split()[0].replace(",", ""))


@pytest.mark.parametrize("use_bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("cell", list(CELLS))
def test_bidirectional_readout_goes_direction_by_direction(cell, use_bias):
    e = RecurrentExplorer(cell=cell, units=64, input_dim=6, bidirectional=True, use_bias=use_bias)
    keras = keras_bidirectional(cell, use_bias)
    one = keras.forward_layer.count_params()
    assert keras.backward_layer.count_params() == one
    lines = readout_lines(e)
    assert (
        f"Parameters = forward + backward = {fmt(one)} + {fmt(one)} = {fmt(keras.count_params())}"
        in lines
    )
    forward = next(i for i, line in enumerate(lines) if line.startswith("  forward: "))
    backward = next(i for i, line in enumerate(lines) if line.startswith("  backward: "))
    weights = sorted(math.prod(w.shape) for w in keras.forward_layer.weights)
    for start, scope, end in ((forward, "forward", backward), (backward, "backward", None)):
        assert last_number(lines[start]) == one  # the direction's sum, then its weights
        terms = [line for line in lines[start + 1 : end] if line.startswith(f"    {scope}/")]
        assert lines[start + 1 : start + 1 + len(terms)] == terms  # one line each, together
        assert sorted(last_number(line) for line in terms) == weights
    assert f"Bidirectional runs two independent copies: 2 * {fmt(one)} = {fmt(2 * one)}" in lines
    assert "(checked)" in e.text
    walls = [line for line in lines if len(line) > LONGEST]
    assert not walls, walls


def test_bidirectional_readout_rows_hang_what_wraps():
    e = RecurrentExplorer(bidirectional=True)
    rows = re.findall(
        r'<div style="padding-left:(\d+)ch;text-indent:-(\d+)ch">(.*?)</div>', e._readout.value
    )
    indents = {re.sub(r"<[^>]+>", "", text).split(" ")[0]: int(pad) for pad, _, text in rows}
    assert {int(hang) for _, hang, _ in rows} == {HANG}
    assert indents["Parameters"] == HANG  # a top line starts at the left; what wraps hangs
    assert indents["forward:"] == indents["backward:"] == 2 + HANG
    assert indents["forward/kernel"] == indents["backward/bias"] == 4 + HANG
    # The notes and the Keras line are prose: wrapped as prose, no hanging indent.
    assert "padding-left" not in e._notes_html.value + e._keras_html.value


def test_a_call_inside_a_call_breaks_between_its_arguments():
    heading = "Bidirectional(GRU(units=64, use_bias=True, reset_after=True)) on input (batch, 6)"
    assert [p for p in segments(heading) if p.strip()] == [
        "Bidirectional(GRU(units=64,",
        "use_bias=True,",
        "reset_after=True))",
        "on",
        "input",
        "(batch, 6)",
    ]
    conv2d = "Conv2D(filters=32, kernel_size=(3, 3), padding='same')"
    assert "kernel_size=(3, 3)," in segments(conv2d)  # never inside a tuple argument


def shown(markup: str) -> str:
    """The text an HTML value shows."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def keras_accepts(layer, shape) -> bool:
    try:
        layer.build(shape)
        layer.compute_output_shape(shape)
    except ValueError:
        return False
    return True


CONV1D_LIMIT = (
    "kernel_size is at most {k} here: the input has {n} steps with padding='valid'{dilated} "
    "(with padding='same' or 'causal' it may be longer)"
)


@pytest.mark.parametrize("dilation_rate", [1, 2, 3])
def test_conv1d_kernel_typed_past_the_limit_is_said(dilation_rate):
    e = Conv1DExplorer(kernel_size=3, dilation_rate=dilation_rate)  # 45 'valid' steps
    kernel = e.controls["kernel_size"]
    limit = kernel.max
    # Keras' own limit, no more and no less.
    shape = (None, 45, 45)
    assert keras_accepts(L.Conv1D(32, limit, dilation_rate=dilation_rate), shape)
    assert not keras_accepts(L.Conv1D(32, limit + 1, dilation_rate=dilation_rate), shape)
    dilated = (
        f", and at dilation_rate={dilation_rate} a kernel spans "
        f"(kernel_size - 1) * {dilation_rate} + 1 of them"
        if dilation_rate > 1
        else ""
    )
    said = CONV1D_LIMIT.format(k=limit, n=45, dilated=dilated)
    assert kernel.tooltip == said  # on the control before the learner gets there
    assert said not in e.text
    kernel.value = limit + 15  # as the browser sends a typed 60: stopped at the slider's end
    assert kernel.value == limit
    assert said in e.notes and said in e.text
    assert said in shown(e._notes_html.value)  # beside the controls
    assert f"kernel_size={limit}," in e.text and "(checked)" in e.text
    kernel.value = limit - 1
    assert said not in e.text and kernel.tooltip == said
    e.controls["padding"].value = "same"  # the limit lifts: no note, no tooltip, the full range
    assert kernel.tooltip is None and kernel.max == 64
    assert not [note for note in e.notes if note.startswith("kernel_size")]


def test_conv1d_limit_follows_the_steps():
    e = Conv1DExplorer()
    e.controls["steps"].value = 20
    kernel = e.controls["kernel_size"]
    kernel.value = 60
    assert kernel.value == 20
    assert e.notes == (CONV1D_LIMIT.format(k=20, n=20, dilated=""),)
    e.controls["steps"].value = 100  # longer than the slider's own range: no limit of the input
    assert kernel.max == 64 and kernel.tooltip is None and e.notes == ()


def test_conv2d_kernel_typed_past_the_limit_is_said():
    e = Conv2DExplorer(height=10, width=12, channels=3)
    kernel = e.controls["kernel_size"]
    shape = (None, 10, 12, 3)
    assert keras_accepts(L.Conv2D(32, 10), shape) and not keras_accepts(L.Conv2D(32, 11), shape)
    said = (
        "kernel_size is at most 10 here: the input is 10 x 12 with padding='valid' "
        "(with padding='same' it may be larger)"
    )
    assert kernel.tooltip == said
    kernel.value = 15
    assert kernel.value == 10 and e.notes == (said,) and "(checked)" in e.text


def test_a_lowered_value_says_lowered_not_both():
    """A constraint that lowers the learner's value says so once (tests/test_explorer_learner.py
    pins that note); the limit note is for a value the learner put at the limit."""
    e = Conv1DExplorer(kernel_size=9)
    e.controls["steps"].value = 4
    assert e.notes == ("kernel_size lowered from 9 to 4 to fit 4 valid steps",)
