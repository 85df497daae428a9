"""Every Breakdown carries its layer family, set by the formula that makes it, and the recurrent
cells' gates live in one table keyed by it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paramlab.core import formulas as F
from paramlab.core import pytorch as P
from paramlab.core import slips
from paramlab.core.formulas import recurrent
from paramlab.core.terms import Breakdown, Family

# One call of each public formula, and the family its Breakdown must carry.
EXAMPLES = {
    "additive_attention": (lambda: F.additive_attention(8), Family.ADDITIVE_ATTENTION),
    "batch_normalization": (lambda: F.batch_normalization(8), Family.BATCH_NORM),
    "bidirectional": (lambda: F.bidirectional(F.lstm(4, 3)), Family.BIDIRECTIONAL),
    "conv": (lambda: F.conv(3, 4, 3, 2), Family.CONV3D),
    "conv1d": (lambda: F.conv1d(32, 5, 45), Family.CONV1D),
    "conv2d": (lambda: F.conv2d(8, 3, 3), Family.CONV2D),
    "conv_lstm": (lambda: F.conv_lstm(2, 4, 3, 2), Family.CONV_LSTM),
    "conv_transpose": (lambda: F.conv_transpose(1, 4, 3, 2), Family.CONV_TRANSPOSE),
    "dense": (lambda: F.dense(4, 6), Family.DENSE),
    "depthwise_conv": (lambda: F.depthwise_conv(2, 3, 4), Family.DEPTHWISE_CONV),
    "dot_product_attention": (
        lambda: F.dot_product_attention(use_scale=True),
        Family.ATTENTION,
    ),
    "einsum_dense": (lambda: F.einsum_dense("ab,bc->ac", 4, (None, 6)), Family.EINSUM_DENSE),
    "embedding": (lambda: F.embedding(100, 8), Family.EMBEDDING),
    "group_normalization": (lambda: F.group_normalization(2, 8), Family.GROUP_NORM),
    "grouped_query_attention": (
        lambda: F.grouped_query_attention(4, 4, 2, 16),
        Family.GROUPED_QUERY_ATTENTION,
    ),
    "gru": (lambda: F.gru(4, 3), Family.GRU),
    "layer_normalization": (lambda: F.layer_normalization(8), Family.LAYER_NORM),
    "layer_scale": (lambda: F.layer_scale(8), Family.LAYER_SCALE),
    "lstm": (lambda: F.lstm(4, 3), Family.LSTM),
    "multi_head_attention": (
        lambda: F.multi_head_attention(2, 4, 16),
        Family.MULTI_HEAD_ATTENTION,
    ),
    "normalization": (lambda: F.normalization(8), Family.NORMALIZATION),
    "prelu": (lambda: F.prelu((4, 5)), Family.PRELU),
    "reversible_embedding": (
        lambda: F.reversible_embedding(100, 8),
        Family.REVERSIBLE_EMBEDDING,
    ),
    "rms_normalization": (lambda: F.rms_normalization(8), Family.RMS_NORM),
    "separable_conv": (lambda: F.separable_conv(1, 4, 3, 2), Family.SEPARABLE_CONV),
    "simple_rnn": (lambda: F.simple_rnn(4, 3), Family.SIMPLE_RNN),
    "spectral_normalization": (
        lambda: F.spectral_normalization(F.dense(4, 6)),
        Family.SPECTRAL_NORMALIZATION,
    ),
    "stacked_cells": (
        lambda: F.stacked_cells([F.lstm(4, 3), F.gru(2, 4)]),
        Family.STACKED_CELLS,
    ),
    "stft_spectrogram": (lambda: F.stft_spectrogram(16), Family.STFT_SPECTROGRAM),
    "time_distributed": (lambda: F.time_distributed(F.dense(4, 6)), Family.TIME_DISTRIBUTED),
    "unit_normalization": (lambda: F.unit_normalization(), Family.UNIT_NORM),
}


# An optimizer's variables are not a layer's weights, and a Transformer is a stack of layers (a
# Stack of Breakdowns): no layer family of their own (tests/test_optimizer_params.py and
# tests/test_transformer.py check them against Keras).
NOT_LAYERS = {"optimizer_variables", "loss_scale_optimizer", "transformer", "transformer_block"}


def test_every_public_formula_has_an_example():
    assert set(EXAMPLES) == set(F.__all__) - NOT_LAYERS
    assert set(F.__all__) >= NOT_LAYERS


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_formula_sets_its_family(name):
    make, family = EXAMPLES[name]
    b = make()
    assert isinstance(b, Breakdown)
    assert b.family is family
    assert b.frozen().family is family and replace(b, layer="Renamed").family is family


@pytest.mark.parametrize(
    "b,family",
    [
        (F.conv1d(4, 3, 2, use_bias=False, lora_rank=2), Family.CONV1D),
        (F.conv(2, 4, 3, 2, groups=2), Family.CONV2D),
        (F.conv_transpose(3, 4, 3, 2), Family.CONV_TRANSPOSE),
        (F.separable_conv(2, 4, 3, 2), Family.SEPARABLE_CONV),
        (F.gru(4, 3, reset_after=False), Family.GRU),
        (F.normalization(8, given=True), Family.NORMALIZATION),
        (F.additive_attention(8, use_scale=False), Family.ADDITIVE_ATTENTION),
    ],
)
def test_every_branch_of_a_formula_keeps_its_family(b, family):
    assert b.family is family


def test_a_breakdown_cannot_be_made_without_a_family():
    with pytest.raises(TypeError, match="family"):
        Breakdown("Dense")  # type: ignore[call-arg]


def test_wrappers_reach_the_inner_family():
    b = F.bidirectional(F.time_distributed(F.gru(4, 3)))
    assert (b.family, b.wrapped.family, b.core.family) == (
        Family.BIDIRECTIONAL,
        Family.TIME_DISTRIBUTED,
        Family.GRU,
    )


def test_one_gates_table_for_formulas_slips_and_pytorch():
    assert recurrent.GATES == {Family.SIMPLE_RNN: 1, Family.GRU: 3, Family.LSTM: 4}
    assert slips.GATES is recurrent.GATES and P.GATES is recurrent.GATES
    assert recurrent.GATES["LSTM"] == 4  # a control's option ("LSTM") finds its entry too


@given(units=st.integers(1, 32), inputs=st.integers(1, 32))
def test_formulas_and_pytorch_read_their_gates_from_the_table(units, inputs):
    pairs = [
        (F.simple_rnn(units, inputs), P.rnn(units, inputs)),
        (F.lstm(units, inputs), P.lstm(units, inputs)),
        (F.gru(units, inputs), P.gru(units, inputs)),
    ]
    for keras_b, torch_b in pairs:
        gates = recurrent.GATES[keras_b.family]
        assert torch_b.family is keras_b.family
        assert keras_b["kernel"].shape == (inputs, gates * units)
        assert torch_b["weight_ih_l0"].shape == (gates * units, inputs)


def test_pytorch_modules_take_the_family_of_the_keras_layer_they_match():
    assert P.linear(3, 4).family is Family.DENSE
    assert P.conv2d(1, 4, 3).family is Family.CONV2D
    bn = P.batch_norm(4)
    assert bn.parameters.family is bn.buffers.family is Family.BATCH_NORM
    assert P.counts(P.lstm(2, 3)).buffers.family is Family.LSTM
    assert P.sequential(P.linear(3, 4)).parameters.family is Family.SEQUENTIAL


def test_printing_is_unchanged_by_the_family():
    assert str(F.conv1d(32, 5, 45)) == (
        "Conv1D: 7,232 parameters\n"
        "  kernel (5, 45, 32): kernel_size * channels * filters = 5 * 45 * 32 = 7,200\n"
        "  bias (32,): filters = 32\n"
        "  total: kernel + bias = 7,200 + 32 = 7,232"
    )
