"""Explorers, headless: set slider values, read the text, and compare with real Keras layers."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import layers as L

import paramlab
from paramlab.core.terms import fmt
from paramlab.ui.explorers import (
    BatchNormExplorer,
    Conv1DExplorer,
    Conv2DExplorer,
    DenseExplorer,
    RecurrentExplorer,
)
from paramlab.ui.explorers.conv import DILATION_LOCK

CONTRACT = {
    DenseExplorer: {"units", "input_dim", "use_bias"},
    Conv1DExplorer: {
        "filters",
        "kernel_size",
        "channels",
        "steps",
        "padding",
        "strides",
        "dilation_rate",
        "use_bias",
    },
    Conv2DExplorer: {
        "filters",
        "kernel_size",
        "channels",
        "height",
        "width",
        "padding",
        "strides",
        "use_bias",
    },
    RecurrentExplorer: {"cell", "units", "input_dim", "reset_after", "bidirectional", "use_bias"},
    BatchNormExplorer: {"features", "center", "scale", "trainable"},
}


def keras_params(layer, shape) -> int:
    layer.build(shape)
    return layer.count_params()


@pytest.mark.parametrize("cls", list(CONTRACT), ids=lambda c: c.__name__)
def test_contract(cls):
    explorer = cls()
    assert set(explorer.controls) == CONTRACT[cls]
    assert isinstance(explorer.text, str)
    assert "(checked)" in explorer.text
    assert getattr(paramlab, cls.__name__) is cls


def test_dense_readout_follows_the_controls():
    e = DenseExplorer()
    assert "Parameters = input_dim * units + units = 784 * 10 + 10 = 7,850" in e.text
    e.controls["units"].value = 257
    e.controls["input_dim"].value = 514
    expected = keras_params(L.Dense(257), (None, 514))
    assert f"Total: {fmt(expected)}" in e.text
    assert f"Keras builds this layer: {fmt(expected)} parameters" in e.text
    e.controls["use_bias"].value = False
    assert "bias (" not in e.text
    assert f"Keras builds this layer: {fmt(257 * 514)} parameters" in e.text


def test_conv1d_cs231n_numbers_and_shapes():
    e = Conv1DExplorer()
    assert "kernel (5, 45, 32): kernel_size * channels * filters = 5 * 45 * 32 = 7,200" in e.text
    assert "Output shape: (batch, 41, 32)" in e.text
    assert "Keras builds this layer: 7,232 parameters, output (None, 41, 32)" in e.text
    e.controls["steps"].value = 100
    e.controls["kernel_size"].value = 3
    e.controls["channels"].value = 1
    assert "steps out = (L - k) // s + 1 = (100 - 3) // 1 + 1 = 98" in e.text
    e.controls["padding"].value = "same"
    assert "Output shape: (batch, 100, 32)" in e.text
    assert "output (None, 100, 32) (checked)" in e.text


def test_conv1d_keeps_strides_and_dilation_apart():
    e = Conv1DExplorer()
    e.controls["strides"].value = 3
    assert e.controls["dilation_rate"].disabled
    assert e.controls["dilation_rate"].value == 1
    assert e.controls["dilation_rate"].max == 8  # locked, not shrunk: the handle stays at 1
    assert DILATION_LOCK in e.notes
    e.controls["strides"].value = 1
    assert not e.controls["dilation_rate"].disabled
    assert e.notes == ()
    e.controls["dilation_rate"].value = 4
    assert e.controls["strides"].disabled
    assert "strides is locked at 1 while dilation_rate > 1" in e.text
    assert "(checked)" in e.text


def test_conv1d_kernel_never_exceeds_valid_input():
    e = Conv1DExplorer(steps=45, kernel_size=30)
    e.controls["steps"].value = 10
    assert e.controls["kernel_size"].value == 10
    e.controls["dilation_rate"].value = 3
    assert (e.controls["kernel_size"].value - 1) * 3 + 1 <= 10
    assert "(checked)" in e.text
    e.controls["padding"].value = "same"
    assert e.controls["kernel_size"].value == 30  # the learner's choice, back
    e.controls["kernel_size"].value = 40  # 'same' pads, so a long kernel is fine
    assert e.controls["kernel_size"].value == 40
    assert "(checked)" in e.text


def test_conv2d_readout():
    e = Conv2DExplorer()
    assert "Total: 896" in e.text
    e.controls["channels"].value = 32
    e.controls["filters"].value = 64
    assert f"Total: {fmt(keras_params(L.Conv2D(64, 3), (None, 32, 32, 32)))}" in e.text
    e.controls["height"].value = 2
    assert e.controls["kernel_size"].value == 2
    assert "(checked)" in e.text


@pytest.mark.parametrize("cell,cls", [("LSTM", L.LSTM), ("GRU", L.GRU), ("SimpleRNN", L.SimpleRNN)])
def test_recurrent_cells(cell, cls):
    e = RecurrentExplorer(cell=cell, units=64, input_dim=6)
    expected = keras_params(cls(64), (None, 10, 6))
    assert f"Total: {fmt(expected)}" in e.text
    e.controls["bidirectional"].value = True
    assert f"Total: {fmt(2 * expected)}" in e.text
    assert "(checked)" in e.text


def test_lstm_factor_of_four_and_gru_reset_after():
    e = RecurrentExplorer()
    assert "LSTM has four gates (input, forget, candidate, output): 4 * 4,544 = 18,176" in e.text
    assert "Total: 18,176" in e.text
    assert e.controls["reset_after"].disabled
    e.controls["cell"].value = "GRU"
    assert not e.controls["reset_after"].disabled
    with_after = keras_params(L.GRU(64), (None, 10, 6))
    assert f"Total: {fmt(with_after)}" in e.text
    e.controls["reset_after"].value = False
    assert f"Total: {fmt(keras_params(L.GRU(64, reset_after=False), (None, 10, 6)))}" in e.text


def test_batchnorm_trainable_split():
    e = BatchNormExplorer()
    assert "Trainable: 64   Non-trainable: 64   Total: 128" in e.text
    assert "PyTorch's BatchNorm(32) reports 64" in e.text
    e.controls["trainable"].value = False
    assert "Trainable: 0   Non-trainable: 128   Total: 128" in e.text
    assert "(checked)" in e.text
    e.controls["center"].value = False
    assert "beta (" not in e.text and "Total: 96" in e.text


def test_mismatch_is_loud(monkeypatch):
    from paramlab.core.formulas import dense as real
    from paramlab.ui.explorers import dense as module

    monkeypatch.setattr(module.F, "dense", lambda u, n, use_bias=True: real(u, n + 1))
    e = DenseExplorer()
    assert "MISMATCH: Keras builds this layer with 7,850 parameters" in e.text
    assert "the formula says 7,860" in e.text


def test_keras_refusal_is_shown_not_raised(monkeypatch):
    from paramlab.ui.explorers import conv as module

    e = Conv1DExplorer()
    monkeypatch.setattr(module.Conv1DExplorer, "keep_valid", lambda self: ())
    e.controls["steps"].value = 3  # kernel 5 on 3 steps, 'valid', limits switched off
    assert e.text.startswith("Keras would refuse this: The kernel is longer than the input")
    assert "Traceback" not in e.text


CONV1D_MOVES = st.lists(
    st.tuples(
        st.sampled_from(
            ["filters", "kernel_size", "channels", "steps", "strides", "dilation_rate"]
        ),
        st.integers(1, 80),
    )
    | st.tuples(st.just("padding"), st.sampled_from(["valid", "same", "causal"]))
    | st.tuples(st.just("use_bias"), st.booleans()),
    max_size=12,
)


@settings(max_examples=30)
@given(moves=CONV1D_MOVES)
def test_any_slider_sequence_stays_inside_keras(moves):
    """Whatever the learner does, the read-out agrees with Keras and never shows an error."""
    e = Conv1DExplorer()
    for name, value in moves:
        control = e.controls[name]
        if isinstance(value, int) and not isinstance(value, bool):
            value = max(control.min, min(control.max, value))
        control.value = value
        assert "(checked)" in e.text, e.text


def test_check_is_deferred_in_a_kernel_and_settles_on_the_final_value(monkeypatch):
    from paramlab.ui.explorers import _deferred

    monkeypatch.setattr(_deferred, "kernel_loop", asyncio.get_running_loop)  # as in a kernel

    async def scenario():
        e = DenseExplorer()
        builds = []
        original = e._run_check

        def counting():
            builds.append(e.controls["units"].value)
            original()

        e._check.fn = counting
        for units in range(20, 30):
            e.controls["units"].value = units  # a quick drag
        assert "Keras builds this layer: checking..." in e.text.splitlines()
        assert f"Total: {fmt(29 * 785)}" in e.text  # the formula follows at once
        await asyncio.sleep(0.4)
        return e, builds

    e, builds = asyncio.run(scenario())
    assert builds == [29]  # one Keras build, for the final value
    assert (
        f"Keras builds this layer: {fmt(29 * 785)} parameters, output (None, 29) (checked)"
        in e.text.splitlines()
    )


def test_outside_a_kernel_the_check_is_immediate_even_with_a_running_loop():
    """A loop that is not a kernel's (a tool's own) may never run our callback: check now."""

    async def scenario():
        e = DenseExplorer()
        e.controls["units"].value = 12
        return e.text

    assert (
        f"Keras builds this layer: {fmt(12 * 785)} parameters, output (None, 12) (checked)"
        in asyncio.run(scenario()).splitlines()
    )


# --- without Keras (the browser edition) ------------------------------------------------------

ELSEWHERE = (
    "The Keras check runs in the full course (Keras is not in this browser edition): "
    "clone the course and run `make lab`."
)


@pytest.fixture
def no_keras(monkeypatch):
    """As in the browser edition: Keras cannot be imported, no course remote is named."""
    import sys

    from paramlab.core import links

    monkeypatch.setitem(sys.modules, "keras", None)
    monkeypatch.delenv(links.REMOTE_ENV, raising=False)


def test_keras_availability_is_found_without_importing_keras(monkeypatch):
    import sys

    from paramlab.bridge._keras_build import keras_available

    assert keras_available()
    monkeypatch.setitem(sys.modules, "keras", None)
    assert not keras_available()


@pytest.mark.parametrize("cls", [*CONTRACT, paramlab.TransformerExplorer])
def test_without_keras_every_control_moves_the_formula_readout(cls, no_keras):
    e = cls()
    assert e.text.splitlines()[len(e.notes)] == ELSEWHERE
    assert "checking" not in e.text and "MISMATCH" not in e.text and "refuse" not in e.text
    for name, control in e.controls.items():
        if control.disabled:
            continue
        before = e.text
        if hasattr(control, "options"):
            control.value = next(o for o in control.options if o != control.value)
        elif isinstance(control.value, bool):
            control.value = not control.value
        else:
            control.value = control.value + 1 if control.value < control.max else control.min
        assert e.text != before, name
        assert ELSEWHERE in e.text.splitlines(), name


def test_without_keras_the_readout_links_to_the_full_course(no_keras, monkeypatch):
    from paramlab.core import links

    monkeypatch.setenv(links.REMOTE_ENV, "https://github.com/example/paramlab")
    monkeypatch.setenv(links.REF_ENV, "lite")
    monkeypatch.setenv("JPY_SESSION_NAME", "01_dense.ipynb")
    e = DenseExplorer()
    link = (
        "https://mybinder.org/v2/gh/example/paramlab/lite"
        "?urlpath=lab%2Ftree%2Fnotebooks%2F01_dense.ipynb"
    )
    assert e.text.splitlines()[0] == (
        "The Keras check runs in the full course (Keras is not in this browser edition): open "
        f"this notebook on Binder ({link}) or clone the course and run `make lab`."
    )
    anchor = f'<a href="{link}" target="_blank" rel="noopener"'
    assert anchor in e._keras_html.value and anchor in e.static_html()
    e.controls["units"].value = 3
    assert anchor in e._keras_html.value and "Total: 2,355" in e.text
