"""Sliding-window pictures, headless: artist geometry, in-place updates, one draw per change."""

from __future__ import annotations

import itertools

import keras
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from ipywidgets.widgets import widget_link
from keras import layers as L

from paramlab.ui.pictures import ConfusionPicture, Conv1DPicture, Conv2DPicture, _canvas


def count_draws(picture, monkeypatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(picture.fig.canvas, "draw_idle", lambda: calls.append(1))
    return calls


@given(
    steps=st.integers(3, 30),
    kernel=st.integers(1, 5),
    strides=st.integers(1, 4),
    padding=st.sampled_from(["valid", "same", "causal"]),
    dilation=st.integers(1, 3),
)
def test_conv1d_window_moves_by_strides(steps, kernel, strides, padding, dilation):
    assume(strides == 1 or dilation == 1)
    assume(padding != "valid" or (kernel - 1) * dilation + 1 <= steps)
    p = Conv1DPicture(steps, 3, kernel, padding=padding, strides=strides, dilation_rate=dilation)
    keras_out = L.Conv1D(1, kernel, padding=padding, strides=strides, dilation_rate=dilation)
    assert p.output.length == keras_out.compute_output_shape((None, steps, 3))[1]
    start = p.window_x
    for k in range(p.output.length):
        p.slider.value = k
        assert p.window_x - start == k * strides
        taps = [t.get_x() for t in p._taps]
        assert [b - a for a, b in itertools.pairwise(taps)] == [dilation] * (kernel - 1)
        assert p.filled.get_width() == k  # outputs before this one are filled in


@pytest.mark.parametrize(
    "padding,kernel,dilation,expected",
    [
        ("valid", 3, 1, 0),
        ("same", 3, 1, 2),
        ("same", 4, 1, 3),
        ("causal", 3, 1, 2),
        ("causal", 3, 2, 4),
    ],
)
def test_conv1d_padding_cells(padding, kernel, dilation, expected):
    p = Conv1DPicture(10, 4, kernel, padding=padding, dilation_rate=dilation)
    assert p.padding_cells == expected
    assert len(p.padding_collection.get_paths()) == expected * 4  # each spans every channel


def test_conv1d_padding_reproduces_keras_output():
    """A 'valid' conv over the drawn padded input gives exactly Keras' 'same' output."""
    p = Conv1DPicture(10, 2, 4, padding="same", strides=3)
    x = keras.ops.ones((1, 10, 2))
    same = L.Conv1D(1, 4, padding="same", strides=3)(x).shape[1]
    padded = 10 + p.padding_cells
    assert (padded - 4) // 3 + 1 == same == p.output.length


def test_conv1d_updates_in_place_with_one_draw(monkeypatch):
    p = Conv1DPicture(12, 4, 3)
    artists = (list(p.ax.patches), list(p.ax.collections), list(p.ax.texts))
    draws = count_draws(p, monkeypatch)
    for k in (1, 5, 9):
        p.slider.value = k
    assert draws == [1, 1, 1]
    assert (list(p.ax.patches), list(p.ax.collections), list(p.ax.texts)) == artists
    assert "output step 9 of 10" in p.text


@pytest.mark.parametrize("make", [lambda: Conv1DPicture(12, 4, 3), lambda: Conv2DPicture()])
def test_play_is_linked_to_the_slider(make):
    p = make()
    assert isinstance(p.play_link, widget_link.Link)  # jslink: animation stays in the browser
    assert p.play_link.source == (p.play, "value")
    assert p.play_link.target == (p.slider, "value")
    assert p.play.max == p.slider.max and p.play.min == p.slider.min == 0
    assert p.controls == [p.play, p.stepper.back, p.slider, p.stepper.forward]


def test_back_and_next_buttons_step_by_one(monkeypatch):
    p = Conv1DPicture(12, 4, 3)
    draws = count_draws(p, monkeypatch)
    p.stepper.back.click()  # already at the first step: stays there, draws nothing
    assert p.slider.value == 0 and draws == []
    p.stepper.forward.click()
    p.stepper.forward.click()
    assert p.slider.value == p.position == 2 and draws == [1, 1]
    p.stepper.back.click()
    assert p.position == 1 and "output step 1 of 10" in p.text
    p.slider.value = p.slider.max
    p.stepper.forward.click()  # the last step stays the last
    assert p.position == 9


def test_conv1d_bad_position():
    p = Conv1DPicture(12, 4, 3)
    with pytest.raises(ValueError, match=r"from 0 to 9\. Received: position=10"):
        p.set_position(10)


@pytest.mark.parametrize("padding,strides", [("valid", 1), ("valid", 2), ("same", 2)])
def test_conv2d_window_walks_the_map(padding, strides, monkeypatch):
    p = Conv2DPicture(7, 7, 3, 3, padding=padding, strides=strides)
    out = L.Conv2D(1, 3, padding=padding, strides=strides).compute_output_shape((None, 7, 7, 3))
    assert (p.out_h.length, p.out_w.length) == out[1:3]
    x0, y0 = p.window_xy
    draws = count_draws(p, monkeypatch)
    cols = p.out_w.length
    for position in (1, cols, cols + 1, p.out_h.length * cols - 1):
        p.slider.value = position
        row, col = divmod(position, cols)
        assert p.window_xy == (x0 + col * strides, y0 + row * strides)
        assert int((p._map == 1.0).sum()) == 1
        assert int((p._map == 0.6).sum()) == position
    assert len(draws) == 4
    assert len(p._windows) == 3  # one window per drawn channel layer


def test_conv2d_many_channels_draws_four_layers():
    p = Conv2DPicture(5, 5, 64, 3)
    assert p.layers == 4 and "4 of 64 channels drawn" in p.ax.get_title()


def test_confusion_numbers_come_from_keras_too():
    p = ConfusionPicture()
    c1 = L.Conv1D(32, 5)
    c1.build((None, 45, 45))
    c2 = L.Conv2D(32, 5)
    c2.build((None, 45, 45, 1))
    assert tuple(c1.kernel.shape) == p.conv1d["kernel"].shape == (5, 45, 32)
    assert p.conv1d.total == c1.count_params() == 7_232
    assert p.conv2d["kernel"].count == 800 and p.conv2d.total == c2.count_params() == 832
    left, right = p.windows
    assert (left.get_width(), left.get_height()) == (45, 5)
    assert (right.get_width(), right.get_height()) == (5, 5)
    assert "7,200 weights" in p.text and "800 weights" in p.text
    titles = [ax.get_title() for ax in p.fig.axes]
    assert "kernel (5, 45, 32) = 7,200 (+32 = 7,232)" in titles[0]
    assert "kernel (5, 5, 1, 32) = 800 (+32 = 832)" in titles[1]


def test_picture_widget_has_controls_canvas_and_alt_text():
    p = Conv1DPicture(8, 2, 3)
    box = p.widget()
    controls, canvas, alt = box.children[-3:]
    assert list(controls.children) == p.controls
    assert canvas is p.fig.canvas
    assert alt is p.alt and "Conv1D picture" in alt.value and "role='note'" in alt.value


PICTURES = {
    "conv1d": lambda: Conv1DPicture(12, 4, 3, padding="same", strides=2),
    "conv1d_long": lambda: Conv1DPicture(64, 32, 5),
    "conv2d": lambda: Conv2DPicture(),
    "conv2d_big": lambda: Conv2DPicture(24, 24, 64, 5, padding="same", strides=2),
    "confusion": lambda: ConfusionPicture(),
}


@pytest.mark.parametrize("name", PICTURES)
def test_picture_fits_the_output_area(name):
    """At most 672 px drawn; in the browser the canvas and the controls shrink with the
    output area (no fixed pixel widths), so an 800 px window or 150% zoom cuts nothing off."""
    p = PICTURES[name]()
    width, height = p.fig.get_size_inches() * p.fig.dpi
    assert p.fig.dpi == _canvas.DPI == 96
    assert width <= 672 and height <= 500
    canvas = p.fig.canvas
    assert (canvas.layout.width, canvas.layout.max_width) == ("100%", "100%")
    assert canvas.layout.height == "auto" and canvas.layout.min_width == "0"
    assert canvas.resizable is False  # ipympl's drag handle; scaling is done by the CSS below
    box = p.widget()
    assert _canvas.PICTURE_CLASS in box._dom_classes
    assert box.layout.max_width == "100%"
    style = box.children[0]
    assert style.layout.display == "none" and style.value == _canvas.FIT_CSS
    assert ".paramlab-picture .jupyter-matplotlib-canvas-div > canvas:first-child" in style.value
    assert "max-width: 100% !important; height: auto !important" in style.value
    widths = [w.layout.width for w in [*p.controls, canvas, box]]
    assert not [w for w in widths if w and w.endswith("px")]
    if p.controls:
        row = box.children[1]
        assert row.layout.flex_flow == "row wrap" and row.layout.width == "100%"


def texts(fig):
    """Every piece of text the figure draws: titles, axis labels, tick labels."""
    found = [fig._suptitle] if fig._suptitle is not None else []
    for ax in fig.axes:
        found += [ax.title, ax.xaxis.label, ax.yaxis.label]
        found += ax.get_xticklabels() + ax.get_yticklabels()
    return [t for t in found if t and t.get_text()]


@pytest.mark.parametrize("name", PICTURES)
def test_labels_are_readable(name):
    p = PICTURES[name]()
    found = texts(p.fig)
    assert len(found) > 10
    for text in found:  # points at 96 dpi: 9 pt is 12 px on screen at 100%
        assert text.get_fontsize() * p.fig.dpi / 72 >= 11.5, text.get_text()


def tick_labels(axis) -> dict[str, float]:
    pairs = zip(axis.get_ticklabels(), axis.get_ticklocs(), strict=True)
    return {label.get_text(): loc for label, loc in pairs}


def test_conv1d_axes_are_numbered_so_steps_can_be_read_off():
    p = Conv1DPicture(12, 4, 3, padding="same", strides=2)
    assert (p.ax.get_xlabel(), p.ax.get_ylabel()) == ("input step", "channel")
    assert p.out_ax.get_xlabel() == "output step (6 in all)"
    steps = tick_labels(p.ax.xaxis)
    assert list(steps) == [str(i) for i in range(12)]
    assert list(tick_labels(p.ax.yaxis)) == ["0", "1", "2", "3"]
    assert list(tick_labels(p.out_ax.xaxis)) == [str(i) for i in range(6)]
    p.slider.value = 3
    assert "covers steps 6 to 8" in p.text
    assert [t.get_x() + 0.5 for t in p._taps] == [steps["6"], steps["7"], steps["8"]]
    assert p.current.get_x() + 0.5 == tick_labels(p.out_ax.xaxis)["3"]


def test_long_axes_label_every_fifth_index():
    p = ConfusionPicture()
    names = [(ax.get_xlabel(), ax.get_ylabel()) for ax in p.fig.axes]
    assert names == [("channel", "step"), ("column", "row")]
    for ax in p.fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            ticks = tick_labels(axis)
            assert list(ticks) == [str(i) for i in range(0, 45, 5)]
            assert ticks["5"] == 5.5  # the centre of row/column 5
    long = Conv1DPicture(64, 32, 5)
    assert list(tick_labels(long.ax.xaxis))[:3] == ["0", "5", "10"]


def test_conv2d_rows_and_columns_are_numbered():
    p = Conv2DPicture(7, 7, 3, 3, strides=2)
    assert (p.ax.get_xlabel(), p.ax.get_ylabel()) == ("input column", "input row")
    assert (p.out_ax.get_xlabel(), p.out_ax.get_ylabel()) == ("output column", "output row")
    assert list(tick_labels(p.ax.yaxis)) == [str(i) for i in range(7)]
    assert list(tick_labels(p.out_ax.xaxis)) == ["0", "1", "2"]
    p.slider.value = 4  # output cell (1, 1): rows 2 to 4, columns 2 to 4
    x, y = p.window_xy
    assert (x + 0.5, y + 0.5) == (tick_labels(p.ax.xaxis)["2"], tick_labels(p.ax.yaxis)["2"])
    assert "rows 2 to 4 and columns 2 to 4" in p.text


@pytest.mark.parametrize("make", [lambda: Conv1DPicture(12, 4, 3), lambda: Conv2DPicture()])
def test_error_in_a_step_is_shown_in_the_widget(make, monkeypatch):
    p = make()

    def broken():
        raise RuntimeError("canvas gone")

    monkeypatch.setattr(p.fig.canvas, "draw_idle", broken)
    p.slider.value = 2  # the observer must not raise into ipywidgets' log only
    message = (
        "Something went wrong drawing this step (RuntimeError: canvas gone). "
        "Please try again or tell your instructor."
    )
    assert p.text == p.error == message
    assert message in p.alt.value and "role='note'" in p.alt.value
    p.stepper.forward.click()
    assert p.text == message
    monkeypatch.setattr(p.fig.canvas, "draw_idle", lambda: None)
    p.slider.value = 1
    assert p.error is None and "Something went wrong" not in p.text
