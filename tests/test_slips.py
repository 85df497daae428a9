"""The classic slips: each wrong number a learner reaches is named, in the lesson's formulas."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paramlab.core import formulas as F
from paramlab.core.slips import ASKS, classic_slips, named_slips
from paramlab.core.terms import Breakdown, Family

CONV1D_TAIL = (
    "A Conv1D kernel is kernel_size x channels = 5 x 45: "
    "it spans every channel but only kernel_size steps."
)


def test_conv1d_slips_of_the_cs231n_confusion():
    slips = classic_slips(F.conv1d(32, 5, 45))
    assert slips == {
        7_200: "That leaves out the bias: 32 more parameters.",
        832: "That is the 2-D formula kernel_size * kernel_size * filters + filters = "
        f"5 * 5 * 32 + 32, without the input channels. {CONV1D_TAIL}",
        36_032: "That is the 2-D formula kernel_size * kernel_size * channels * filters + "
        f"filters = 5 * 5 * 45 * 32 + 32. {CONV1D_TAIL}",
        800: "That is the 2-D formula kernel_size * kernel_size * filters = 5 * 5 * 32, "
        f"with neither the input channels nor the bias. {CONV1D_TAIL}",
        36_000: "That is the 2-D formula kernel_size * kernel_size * channels * filters = "
        f"5 * 5 * 45 * 32, without the bias. {CONV1D_TAIL}",
        192: "That leaves out the input channels: every filter spans all 45 of them.",
    }


def test_conv1d_without_bias_never_mentions_the_bias():
    slips = classic_slips(F.conv1d(32, 5, 45, use_bias=False))
    assert set(slips) == {800, 36_000, 160}
    assert slips[800].startswith(
        "That is the 2-D formula kernel_size * kernel_size * filters = 5 * 5 * 32, "
        "without the input channels."
    )
    assert not any("bias" in message for message in slips.values())


def test_conv2d_slips():
    assert classic_slips(F.conv2d(64, 3, 32)) == {
        18_432: "That leaves out the bias: 64 more parameters.",
        640: "That leaves out the input channels: every filter spans all 32 of them.",
    }


def test_one_parameter_is_singular():
    assert classic_slips(F.dense(1, 4)) == {4: "That leaves out the bias: 1 more parameter."}


def test_lstm_slips_speak_the_lesson_formula():
    assert classic_slips(F.lstm(64, 6)) == {
        17_920: "That leaves out the bias: 256 more parameters.",
        4_544: "That is one gate's worth. LSTM has four gates: multiply by 4, "
        "as in 4 * (units * (units + input_dim) + units).",
    }


def test_gru_slips_name_reset_after():
    slips = classic_slips(F.gru(64, 6))
    assert slips[4_608] == (
        "That is one gate's worth. GRU has three gates: multiply by 3, "
        "as in 3 * (units * (units + input_dim) + units) + 3 * units."
    )
    assert slips[13_632] == (
        "That is GRU with reset_after=False: 3 * (units * (units + input_dim) + units). "
        "Keras' default, reset_after=True, keeps a second bias per gate: "
        "3 * units = 192 more parameters."
    )
    plain = classic_slips(F.gru(64, 6, reset_after=False))
    assert plain[4_544].endswith("as in 3 * (units * (units + input_dim) + units).")
    assert not any("reset_after" in message for message in plain.values())


def test_bidirectional_slips():
    b = F.bidirectional(F.lstm(50, 768))
    slips = classic_slips(b)
    assert slips[163_800] == (
        "That is one direction. Bidirectional runs two copies: 2 * (one direction's count)."
    )
    assert slips[81_900].endswith("as in 2 * 4 * (units * (units + input_dim) + units).")


def test_bidirectional_gru_names_the_second_bias_of_both_directions():
    slips = classic_slips(F.bidirectional(F.gru(8, 4)))
    assert slips[672 - 48].endswith("second bias per gate: 2 * 3 * units = 48 more parameters.")
    assert slips[224].endswith("as in 2 * (3 * (units * (units + input_dim) + units) + 3 * units).")


def test_slips_follow_the_family_not_the_display_name():
    lstm = F.lstm(64, 6)
    look_alike = replace(F.dense(64, 6), layer="Bidirectional(LSTM)")
    assert not any("Bidirectional" in m for m in classic_slips(look_alike).values())
    assert not any("gate" in m for m in classic_slips(look_alike).values())
    rnn = Breakdown("RNN(LSTM)", lstm.terms, lstm.notes, family=Family.RNN, wrapped=lstm)
    assert classic_slips(rnn)[4_544].startswith("That is one gate's worth. LSTM has four gates")


_SLIPPERY = st.one_of(
    st.builds(F.conv1d, st.integers(1, 64), st.integers(1, 9), st.integers(1, 64)),
    st.builds(F.conv2d, st.integers(1, 64), st.integers(1, 5), st.integers(1, 64)),
    st.builds(F.dense, st.integers(1, 64), st.integers(1, 64), use_bias=st.booleans()),
    st.builds(F.lstm, st.integers(1, 64), st.integers(1, 64), use_bias=st.booleans()),
    st.builds(F.gru, st.integers(1, 64), st.integers(1, 64), reset_after=st.booleans()),
    st.builds(F.simple_rnn, st.integers(1, 64), st.integers(1, 64)),
    st.builds(F.batch_normalization, st.integers(1, 64), center=st.booleans()),
)


@given(
    b=st.one_of(
        _SLIPPERY,
        st.builds(F.bidirectional, _SLIPPERY),
        st.builds(F.time_distributed, _SLIPPERY),
    ),
    ask=st.sampled_from(ASKS),
)
def test_renaming_a_breakdown_changes_no_slip(b, ask):
    renamed = replace(b, layer="Renamed")
    if b.wrapped is not None:
        renamed = replace(renamed, wrapped=replace(b.wrapped, layer="Renamed too"))
    assert named_slips(renamed, ask) == named_slips(b, ask)


@pytest.mark.parametrize(
    "center,scale,learned,wrong",
    [
        (True, True, "gamma and beta", 64),
        (False, True, "gamma", 32),
        (True, False, "beta", 32),
    ],
)
def test_batch_norm_pytorch_count_names_the_weights_that_exist(center, scale, learned, wrong):
    slips = classic_slips(F.batch_normalization(32, center=center, scale=scale))
    assert slips[wrong] == (
        f"That is PyTorch's count ({learned} only). Keras also counts moving_mean and "
        "moving_variance, as non-trainable parameters."
    )


def test_batch_norm_without_gamma_and_beta_has_no_pytorch_slip():
    assert classic_slips(F.batch_normalization(32, center=False, scale=False)) == {}


def test_batch_norm_statistics_counted_as_trainable():
    assert classic_slips(F.batch_normalization(32), "trainable") == {
        128: "That counts moving_mean and moving_variance as trainable: they are updated by "
        "running averages, not by gradients."
    }


def test_no_slip_is_the_answer_or_not_positive():
    for b in (F.conv1d(3, 3, 3), F.lstm(1, 1), F.bidirectional(F.gru(1, 1)), F.dense(1, 1)):
        for ask in ("total", "trainable", "non_trainable"):
            slips = classic_slips(b, ask)
            assert getattr(b, ask) not in slips
            assert all(value > 0 for value in slips)


def test_unknown_ask_is_refused():
    with pytest.raises(ValueError, match=r"Received: ask='params'"):
        classic_slips(F.dense(1, 4), "params")
