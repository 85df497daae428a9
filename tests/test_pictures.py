"""Sliding-window pictures, headless: artist geometry, in-place updates, one draw per change."""

from __future__ import annotations

import itertools

import keras
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from keras import layers as L

from paramlab.pictures import ConfusionPicture, Conv1DPicture, Conv2DPicture


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


def test_conv1d_play_is_linked_to_the_slider():
    p = Conv1DPicture(12, 4, 3)
    assert p.play.max == p.slider.max == 9
    p.play.value = 4  # the link lives in the browser: the slider follows there
    assert p.controls == [p.play, p.slider]


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
    assert box.children[1] is p.fig.canvas
    assert "Conv1D picture" in box.children[2].value
