"""Explorers honour what they are asked for, or refuse it in Keras' voice; never a silent change."""

from __future__ import annotations

import pytest

from paramlab.core.terms import fmt
from paramlab.ui.explorers import (
    BatchNormExplorer,
    Conv1DExplorer,
    Conv2DExplorer,
    DenseExplorer,
    RecurrentExplorer,
)

# (explorer, argument, the slider's usual maximum, other arguments that let the value fit)
INT_ARGS = [
    (DenseExplorer, "units", 1024, {}),
    (DenseExplorer, "input_dim", 1024, {}),
    (Conv1DExplorer, "filters", 256, {}),
    (Conv1DExplorer, "kernel_size", 64, {"steps": 400}),
    (Conv1DExplorer, "channels", 256, {}),
    (Conv1DExplorer, "steps", 256, {"kernel_size": 1}),
    (Conv1DExplorer, "strides", 8, {}),
    (Conv1DExplorer, "dilation_rate", 8, {"kernel_size": 2}),
    (Conv2DExplorer, "filters", 256, {}),
    (Conv2DExplorer, "kernel_size", 15, {"height": 64, "width": 64}),
    (Conv2DExplorer, "channels", 256, {}),
    (Conv2DExplorer, "height", 256, {"kernel_size": 1}),
    (Conv2DExplorer, "width", 256, {"kernel_size": 1}),
    (Conv2DExplorer, "strides", 8, {}),
    (RecurrentExplorer, "units", 512, {}),
    (RecurrentExplorer, "input_dim", 1024, {}),
    (BatchNormExplorer, "features", 1024, {}),
]
BOOL_ARGS = [
    (DenseExplorer, "use_bias"),
    (Conv1DExplorer, "use_bias"),
    (Conv2DExplorer, "use_bias"),
    (RecurrentExplorer, "reset_after"),
    (RecurrentExplorer, "bidirectional"),
    (RecurrentExplorer, "use_bias"),
    (BatchNormExplorer, "center"),
    (BatchNormExplorer, "scale"),
    (BatchNormExplorer, "trainable"),
]
CHOICE_ARGS = [
    (Conv1DExplorer, "padding", ("valid", "same", "causal"), "full"),
    (Conv2DExplorer, "padding", ("valid", "same"), "causal"),
    (RecurrentExplorer, "cell", ("SimpleRNN", "LSTM", "GRU"), "Transformer"),
]


def case_id(case) -> str:
    return f"{case[0].__name__}-{case[1]}"


@pytest.mark.parametrize("case", INT_ARGS, ids=case_id)
@pytest.mark.parametrize("where", ["low", "high"])
def test_int_argument_at_the_ends_of_its_range(case, where):
    cls, name, high, fit = case
    value = 1 if where == "low" else high
    e = cls(**{**fit, name: value})
    assert e.controls[name].value == value
    assert (e.controls[name].min, e.controls[name].max) == (1, high)
    assert "(checked)" in e.text


@pytest.mark.parametrize("case", INT_ARGS, ids=case_id)
def test_int_argument_beyond_its_range_is_honoured(case):
    cls, name, high, fit = case
    value = 2 * high + 3
    e = cls(**{**fit, name: value})
    assert e.controls[name].value == value
    assert e.controls[name].max == value  # the slider grows to include it
    assert f"{name}={value}" in e.text or fmt(value) in e.text
    assert "(checked)" in e.text


@pytest.mark.parametrize("case", INT_ARGS, ids=case_id)
@pytest.mark.parametrize("value", [0, -3])
def test_int_argument_outside_its_range_is_refused(case, value):
    cls, name, _, fit = case
    with pytest.raises(
        ValueError,
        match=rf"Invalid value for argument `{name}`\. Expected a strictly positive integer\. "
        rf"Received: {name}={value}$",
    ):
        cls(**{**fit, name: value})


@pytest.mark.parametrize("case", INT_ARGS, ids=case_id)
@pytest.mark.parametrize("value", ["10", True, 2.5, None], ids=["str", "bool", "float", "None"])
def test_int_argument_of_the_wrong_type_is_a_keras_style_type_error(case, value):
    cls, name, _, fit = case
    with pytest.raises(
        TypeError,
        match=rf"The argument `{name}` must be an integer\. "
        rf"Received: {name}={value!r} \(of type {type(value).__name__}\)",
    ):
        cls(**{**fit, name: value})


@pytest.mark.parametrize("case", BOOL_ARGS, ids=case_id)
@pytest.mark.parametrize("value", [1, "yes", None])
def test_bool_argument_given_a_non_bool_is_a_type_error(case, value):
    cls, name = case
    with pytest.raises(
        TypeError,
        match=rf"The argument `{name}` must be True or False\. Received: {name}={value!r}",
    ):
        cls(**{name: value})


@pytest.mark.parametrize("case", BOOL_ARGS, ids=case_id)
@pytest.mark.parametrize("value", [True, False])
def test_bool_argument_is_honoured(case, value):
    cls, name = case
    assert cls(**{name: value}).controls[name].value is value


@pytest.mark.parametrize("case", CHOICE_ARGS, ids=case_id)
def test_unknown_choice_is_a_value_error_listing_the_allowed_ones(case):
    cls, name, options, bad = case
    allowed = ", ".join(f"'{o}'" for o in options)
    with pytest.raises(
        ValueError,
        match=rf"Invalid value for argument `{name}`\. Expected one of \{{{allowed}\}}\. "
        rf"Received: {name}='{bad}'",
    ):
        cls(**{name: bad})
    with pytest.raises(ValueError, match=rf"Received: {name}=3$"):
        cls(**{name: 3})


@pytest.mark.parametrize("case", CHOICE_ARGS, ids=case_id)
def test_every_choice_is_honoured_in_any_case(case):
    cls, name, options, _ = case
    for option in options:
        assert cls(**{name: option.upper()}).controls[name].value == option


def test_the_issue_examples():
    e = DenseExplorer(input_dim=100000)
    assert e.controls["input_dim"].value == 100000
    assert "Each of the 10 units sees all 100,000 inputs" in e.text
    assert "Keras builds this layer: 1,000,010 parameters" in e.text
    with pytest.raises(ValueError, match=r"Received: units=0$"):
        DenseExplorer(units=0)
    with pytest.raises(TypeError, match=r"Received: units='10' \(of type str\)"):
        DenseExplorer(units="10")


@pytest.mark.parametrize(
    "make,message",
    [
        (
            lambda: Conv1DExplorer(strides=2, dilation_rate=2),
            r"`strides > 1` not supported in conjunction with `dilation_rate > 1`\. "
            r"Received: strides=2 and dilation_rate=2",
        ),
        (
            lambda: Conv1DExplorer(kernel_size=50, steps=45),
            r"The kernel is longer than the input.*Received: length=45, kernel_size=50",
        ),
        (
            lambda: Conv1DExplorer(kernel_size=5, dilation_rate=20, steps=45),
            r"The kernel is longer than the input.*kernel_size=5, dilation_rate=20",
        ),
        (
            lambda: Conv2DExplorer(kernel_size=9, height=5),
            r"The kernel is longer than the input.*Received: length=5, kernel_size=9",
        ),
    ],
    ids=["strides-and-dilation", "conv1d-kernel", "conv1d-dilated-kernel", "conv2d-kernel"],
)
def test_what_keras_refuses_is_refused_at_construction(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_long_kernel_is_fine_with_same_padding():
    e = Conv1DExplorer(kernel_size=50, steps=45, padding="same")
    assert e.controls["kernel_size"].value == 50
    assert "(checked)" in e.text
