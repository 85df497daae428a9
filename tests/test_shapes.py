"""Shape arithmetic against the output shapes real Keras layers compute."""

from __future__ import annotations

import keras
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from keras import layers as L

from paramlab.core.shapes import (
    conv_output_length,
    conv_transpose_output_length,
    padding_amount,
    pool_output_length,
)


def keras_conv_length(length, kernel, padding, strides, dilation):
    layer = L.Conv1D(1, kernel, padding=padding, strides=strides, dilation_rate=dilation)
    return layer.compute_output_shape((None, length, 1))[1]


@pytest.mark.parametrize(
    "length,kernel,padding,strides,dilation,expected",
    [
        (100, 3, "valid", 1, 1, 98),
        (100, 3, "same", 1, 1, 100),
        (45, 5, "valid", 1, 1, 41),
        (10, 3, "causal", 1, 1, 10),
        (10, 3, "same", 2, 1, 5),
        (11, 3, "valid", 2, 1, 5),
        (20, 3, "valid", 1, 4, 12),
        (5, 5, "valid", 1, 1, 1),
    ],
)
def test_conv_length_grid(length, kernel, padding, strides, dilation, expected):
    got = conv_output_length(
        length, kernel, padding=padding, strides=strides, dilation_rate=dilation
    )
    assert got.length == expected == keras_conv_length(length, kernel, padding, strides, dilation)


@given(
    length=st.integers(1, 60),
    kernel=st.integers(1, 9),
    padding=st.sampled_from(["valid", "same", "causal"]),
    strides=st.integers(1, 4),
    dilation=st.integers(1, 4),
)
def test_conv_length_random(length, kernel, padding, strides, dilation):
    assume(strides == 1 or dilation == 1)
    assume(padding != "valid" or (kernel - 1) * dilation + 1 <= length)
    got = conv_output_length(
        length, kernel, padding=padding, strides=strides, dilation_rate=dilation
    )
    assert got.length == keras_conv_length(length, kernel, padding, strides, dilation)


@given(
    length=st.integers(1, 30),
    kernel=st.integers(1, 7),
    strides=st.integers(1, 3),
    padding=st.sampled_from(["valid", "same", "causal"]),
)
def test_padding_cells_reproduce_the_output(length, kernel, strides, padding):
    """Padding the input by hand and running a 'valid' conv gives the same output length."""
    assume(padding != "valid" or kernel <= length)
    before, after = padding_amount(length, kernel, padding=padding, strides=strides)
    padded = length + before + after
    assert (padded - kernel) // strides + 1 == conv_output_length(
        length, kernel, padding=padding, strides=strides
    ).length


def test_conv_length_formula_is_shown():
    got = conv_output_length(100, 3)
    assert got.formula == "(L - k) // s + 1 = (100 - 3) // 1 + 1 = 98"
    assert "valid" in got.words


@given(
    length=st.integers(1, 40),
    pool=st.integers(1, 5),
    strides=st.one_of(st.none(), st.integers(1, 4)),
    padding=st.sampled_from(["valid", "same"]),
)
def test_pool_length_random(length, pool, strides, padding):
    assume(padding != "valid" or pool <= length)
    layer = L.MaxPooling1D(pool, strides=strides, padding=padding)
    expected = layer.compute_output_shape((None, length, 1))[1]
    assert pool_output_length(length, pool, padding=padding, strides=strides).length == expected


@given(
    length=st.integers(1, 20),
    kernel=st.integers(1, 5),
    strides=st.integers(1, 3),
    dilation=st.integers(1, 2),
    padding=st.sampled_from(["valid", "same"]),
    output_padding=st.one_of(st.none(), st.integers(0, 2)),
)
def test_transpose_length_random(length, kernel, strides, dilation, padding, output_padding):
    assume(output_padding is None or output_padding < strides)
    assume(strides == 1 or dilation == 1)
    layer = L.Conv1DTranspose(
        1,
        kernel,
        strides=strides,
        padding=padding,
        dilation_rate=dilation,
        output_padding=output_padding,
    )
    expected = layer.compute_output_shape((None, length, 1))[1]
    got = conv_transpose_output_length(
        length,
        kernel,
        padding=padding,
        strides=strides,
        dilation_rate=dilation,
        output_padding=output_padding,
    )
    assert got.length == expected


def test_real_tensor_agrees():
    x = keras.ops.ones((1, 100, 2))
    y = L.Conv1D(4, 3)(x)
    assert y.shape[1] == conv_output_length(100, 3).length == 98


# --- errors, in Keras' voice ----------------------------------------------------------------


def test_kernel_longer_than_valid_input():
    with pytest.raises(
        ValueError,
        match=r"kernel is longer than the input.*"
        r"Received: length=3, kernel_size=5, dilation_rate=1",
    ):
        conv_output_length(3, 5)
    # Keras refuses it too (its own words differ).
    with pytest.raises(ValueError, match="Computed output size would be zero or negative"):
        keras_conv_length(3, 5, "valid", 1, 1)


def test_dilated_kernel_longer_than_input():
    with pytest.raises(ValueError, match=r"spans .* = 9 steps"):
        conv_output_length(8, 3, dilation_rate=4)


def test_strides_with_dilation_refused_like_keras():
    msg = r"`strides > 1` not supported in conjunction with `dilation_rate > 1`\. "
    with pytest.raises(ValueError, match=msg + r"Received: strides=2 and dilation_rate=2"):
        conv_output_length(10, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match=msg):
        L.Conv1D(1, 3, strides=2, dilation_rate=2)


def test_bad_padding():
    with pytest.raises(
        ValueError,
        match=r"Expected one of \{'valid', 'same', 'causal'\}\. "
        r"Received: padding='full'",
    ):
        conv_output_length(10, 3, padding="full")
    with pytest.raises(ValueError, match=r"Received: padding='causal'"):
        pool_output_length(10, 3, padding="causal")


@pytest.mark.parametrize("value", [0, -1])
def test_non_positive_sizes(value):
    with pytest.raises(
        ValueError, match=rf"strictly positive integer\. Received: kernel_size={value}"
    ):
        conv_output_length(10, value)


@pytest.mark.parametrize("value", [2.5, "3", True, None])
def test_non_integer_sizes(value):
    with pytest.raises(
        TypeError,
        match=r"The argument `length` must be an integer\. "
        rf"Received: length={value!r}",
    ):
        conv_output_length(value, 3)


def test_output_padding_must_be_below_strides():
    with pytest.raises(ValueError, match=r"Received: output_padding=2, strides=2"):
        conv_transpose_output_length(5, 3, strides=2, output_padding=2)
