"""Bad arguments raise ValueError/TypeError in Keras' voice; the messages are pinned here."""

from __future__ import annotations

import subprocess
import sys

import pytest
from keras import layers as L

from paramlab.core import formulas as F


def test_groups_must_divide_input_channels():
    with pytest.raises(
        ValueError,
        match=r"The number of input channels must be evenly divisible "
        r"by the number of groups\. Received: groups=2, input_channels=45",
    ):
        F.conv1d(32, 5, 45, groups=2)
    with pytest.raises(ValueError, match="evenly divisible by the number of groups"):
        L.Conv1D(32, 5, groups=2).build((None, 45, 45))  # Keras agrees


def test_groups_must_divide_filters():
    with pytest.raises(
        ValueError,
        match=r"The number of filters must be evenly divisible by the "
        r"number of groups\. Received: groups=3, filters=32",
    ):
        F.conv2d(32, 3, 9, groups=3)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: F.dense(0, 5), "units"),
        (lambda: F.dense(3, -2), "input_dim"),
        (lambda: F.conv1d(0, 3, 4), "filters"),
        (lambda: F.lstm(4, 0), "input_dim"),
        (lambda: F.embedding(0, 4), "input_dim"),
        (lambda: F.multi_head_attention(0, 4, 8), "num_heads"),
        (lambda: F.dense(3, 4, lora_rank=0), "lora_rank"),
    ],
)
def test_non_positive(call, name):
    with pytest.raises(
        ValueError,
        match=rf"Invalid value for argument `{name}`\. Expected a "
        rf"strictly positive integer\. Received: {name}=-?\d",
    ):
        call()


def test_zero_kernel():
    with pytest.raises(
        ValueError,
        match=r"The `kernel_size` argument must contain only strictly "
        r"positive integers\. Received: kernel_size=\(3, 0\)",
    ):
        F.conv2d(8, (3, 0), 3)


def test_kernel_tuple_of_wrong_length():
    with pytest.raises(
        ValueError,
        match=r"must be a tuple of 2 integers\. "
        r"Received: kernel_size=\(3, 3, 3\)",
    ):
        F.conv2d(8, (3, 3, 3), 3)


@pytest.mark.parametrize("bad", [2.0, "8", None, True])
def test_non_integer(bad):
    with pytest.raises(
        TypeError,
        match=rf"The argument `units` must be an integer\. "
        rf"Received: units={bad!r} \(of type {type(bad).__name__}\)",
    ):
        F.dense(bad, 4)


def test_flag_must_be_bool():
    with pytest.raises(
        TypeError,
        match=r"The argument `use_bias` must be True or False\. "
        r"Received: use_bias=1 \(of type int\)",
    ):
        F.dense(3, 4, use_bias=1)


def test_numpy_bools_and_ints_are_accepted_as_keras_accepts_them():
    import numpy as np

    assert F.dense(np.int64(3), np.int32(4), use_bias=np.bool_(False)).total == 12
    with pytest.raises(
        TypeError,
        match=r"The argument `use_bias` must be True or False\. "
        r"Received: use_bias=np\.int64\(1\) \(of type int64\)",
    ):
        F.dense(3, 4, use_bias=np.int64(1))
    with pytest.raises(TypeError, match=r"Received: units=np\.True_ \(of type bool\)"):
        F.dense(np.bool_(True), 4)


def test_the_checks_need_no_numpy():
    """The browser edition has no numpy: the core's checks must not import it."""
    code = (
        "import sys\n"
        "sys.modules['numpy'] = None  # importing numpy fails, as in the browser\n"
        "from paramlab.core import formulas\n"
        "assert formulas.dense(3, 4, use_bias=False).total == 12\n"
        "try:\n"
        "    formulas.dense(3, 4, use_bias=1)\n"
        "except TypeError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == (
        "The argument `use_bias` must be True or False. Received: use_bias=1 (of type int)\n"
    )


def test_conv_rank():
    with pytest.raises(ValueError, match=r"1-, 2- or 3-D\. Received: rank=4"):
        F.conv(4, 8, 3, 3)
    with pytest.raises(
        ValueError,
        match=r"DepthwiseConv1D and DepthwiseConv2D only\. "
        r"Received: rank=3",
    ):
        F.depthwise_conv(3, 3, 4)


def test_group_normalization_groups():
    with pytest.raises(
        ValueError,
        match=r"must divide the number of channels\. "
        r"Received: groups=4, channels=6",
    ):
        F.group_normalization(4, 6)


def test_grouped_query_heads():
    with pytest.raises(ValueError, match=r"Received: num_query_heads=6, num_key_value_heads=4"):
        F.grouped_query_attention(8, 6, 4, 32)


def test_einsum_equation():
    with pytest.raises(ValueError, match=r"Invalid einsum equation.*Received: equation='ab->b'"):
        F.einsum_dense("ab->b", 4, (None, 3))
    with pytest.raises(ValueError, match=r"Bias axis 'z' is not in the output term 'ac'"):
        F.einsum_dense("ab,bc->ac", 4, (None, 3), bias_axes="z")
    with pytest.raises(TypeError, match=r"`equation` must be a string"):
        F.einsum_dense(None, 4, (None, 3))


def test_score_mode_choice():
    with pytest.raises(
        ValueError,
        match=r"Expected one of \{'dot', 'concat'\}\. "
        r"Received: score_mode='add'",
    ):
        F.dot_product_attention(score_mode="add")


def test_stft_fft_shorter_than_frame():
    with pytest.raises(ValueError, match=r"Received: fft_length=8, frame_length=16"):
        F.stft_spectrogram(16, fft_length=8)


def test_prelu_shared_axes_range():
    with pytest.raises(
        ValueError,
        match=r"counts axes from 1 \(after the batch\) to 2\. "
        r"Received: shared_axes=\[3\]",
    ):
        F.prelu((4, 5), shared_axes=[3])
