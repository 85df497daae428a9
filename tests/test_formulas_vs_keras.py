"""Every formula against real Keras layers: parametrised grids plus hypothesis configurations.

Each test builds the real layer and compares term by term (weight name, shape, trainable flag),
not only totals. The expected numbers always come from Keras, never from the formula itself.
"""

from __future__ import annotations

import keras
import pytest
from hypothesis import given
from hypothesis import strategies as st
from keras import layers as L
from keras_check import assert_matches

from paramlab.core import formulas as F
from paramlab.core.terms import Family

small = st.integers(min_value=1, max_value=9)
flags = st.booleans()


def built(layer, shape):
    layer.build(shape)
    return layer


# --- Dense, Embedding, EinsumDense ---------------------------------------------------------


@pytest.mark.parametrize("units,input_dim", [(10, 784), (514, 514), (257, 514), (1, 1)])
@pytest.mark.parametrize("use_bias", [True, False])
def test_dense_grid(units, input_dim, use_bias):
    layer = built(L.Dense(units, use_bias=use_bias), (None, input_dim))
    assert_matches(F.dense(units, input_dim, use_bias=use_bias), layer)


def test_dense_mnist_and_stack_numbers():
    assert F.dense(10, 784).total == built(L.Dense(10), (None, 784)).count_params() == 7850
    stack = keras.Sequential([keras.Input((514,)), L.Dense(514), L.Dense(257)])
    assert F.dense(514, 514).total + F.dense(257, 514).total == stack.count_params() == 397_065


@given(units=small, rank=st.integers(2, 4), last=small, use_bias=flags)
def test_dense_acts_on_last_axis(units, rank, last, use_bias):
    shape = (None,) + (3,) * (rank - 2) + (last,)
    layer = built(L.Dense(units, use_bias=use_bias), shape)
    assert_matches(F.dense(units, last, use_bias=use_bias), layer)


@given(units=small, input_dim=small, rank=st.integers(1, 4), use_bias=flags)
def test_dense_lora(units, input_dim, rank, use_bias):
    layer = built(L.Dense(units, use_bias=use_bias), (None, input_dim))
    layer.enable_lora(rank)
    assert_matches(F.dense(units, input_dim, use_bias=use_bias, lora_rank=rank), layer)


@given(vocab=st.integers(1, 50), dim=small, lora=st.one_of(st.none(), st.integers(1, 3)))
def test_embedding(vocab, dim, lora):
    layer = built(L.Embedding(vocab, dim), (None, 7))
    if lora:
        layer.enable_lora(lora)
    assert_matches(F.embedding(vocab, dim, lora_rank=lora), layer)


@pytest.mark.parametrize("tie", [True, False])
def test_reversible_embedding(tie):
    layer = built(L.ReversibleEmbedding(11, 4, tie_weights=tie), (None, 7))
    assert_matches(F.reversible_embedding(11, 4, tie_weights=tie), layer)


EINSUM_CASES = [
    ("ab,bc->ac", (None, 5), 7, "c"),
    ("ab,bc->ac", (None, 5), 7, None),
    ("abc,cd->abd", (None, 3, 5), (None, 7), "d"),
    ("abc,cde->abde", (None, 3, 5), (None, 2, 4), "de"),
    ("abc,cde->abde", (None, 3, 5), (None, 2, 4), "e"),
    ("abc,cd->abd", (None, 3, 5), (3, 7), "bd"),
    ("...b,bc->...c", (None, 3, 4, 5), 6, "c"),
    ("ab...,bc->ac...", (None, 5, 3), (6, 3), "c"),
    ("ab...,bc->ac...", (None, 5, 3, 2), 6, "c"),
    ("abcd,cde->abe", (None, 2, 3, 4), (None, 5), "e"),
]


@pytest.mark.parametrize("equation,input_shape,output_shape,bias_axes", EINSUM_CASES)
def test_einsum_dense(equation, input_shape, output_shape, bias_axes):
    layer = built(L.EinsumDense(equation, output_shape, bias_axes=bias_axes), input_shape)
    assert_matches(F.einsum_dense(equation, output_shape, input_shape, bias_axes=bias_axes), layer)


def test_einsum_dense_lora():
    layer = built(L.EinsumDense("abc,cde->abde", (None, 2, 4), bias_axes="de"), (None, 3, 5))
    layer.enable_lora(2)
    expected = F.einsum_dense(
        "abc,cde->abde", (None, 2, 4), (None, 3, 5), bias_axes="de", lora_rank=2
    )
    assert_matches(expected, layer)


# --- convolutions --------------------------------------------------------------------------

CONV = {1: L.Conv1D, 2: L.Conv2D, 3: L.Conv3D}
TRANSPOSE = {1: L.Conv1DTranspose, 2: L.Conv2DTranspose, 3: L.Conv3DTranspose}


def spatial(rank: int, size: int = 9) -> tuple[int | None, ...]:
    return (None,) + (size,) * rank


@pytest.mark.parametrize(
    "rank,filters,kernel,channels,expected",
    [
        (1, 32, 5, 45, 7_232),  # the cs231n confusion: Conv1D on 45 x 45
        (2, 32, 5, 1, 832),  # the same image as Conv2D on (45, 45, 1)
        (2, 32, 3, 3, 896),
        (2, 64, 3, 32, 18_496),
        (2, 128, 3, 64, 73_856),
        (2, 24, 3, 1, 240),
        (2, 36, 3, 24, 7_812),
        (3, 8, (3, 2, 1), 4, 200),
    ],
)
def test_conv_known_numbers(rank, filters, kernel, channels, expected):
    layer = built(CONV[rank](filters, kernel), (*spatial(rank), channels))
    b = F.conv(rank, filters, kernel, channels)
    assert_matches(b, layer)
    assert b.total == expected


def test_cs231n_kernel_is_5_by_45_by_32():
    b = F.conv1d(32, 5, 45)
    assert b["kernel"].shape == (5, 45, 32)
    assert b["kernel"].count == 7_200
    assert b["kernel"].formula == "kernel_size * channels * filters = 5 * 45 * 32 = 7,200"
    assert F.conv2d(32, 5, 1)["kernel"].count == 800


@given(
    rank=st.sampled_from([1, 2, 3]),
    filters_per_group=st.integers(1, 4),
    channels_per_group=st.integers(1, 4),
    groups=st.integers(1, 3),
    kernel=st.integers(1, 3),
    use_bias=flags,
)
def test_conv_random(rank, filters_per_group, channels_per_group, groups, kernel, use_bias):
    filters, channels = filters_per_group * groups, channels_per_group * groups
    layer = built(
        CONV[rank](filters, kernel, groups=groups, use_bias=use_bias),
        (*spatial(rank, 5), channels),
    )
    assert_matches(F.conv(rank, filters, kernel, channels, groups=groups, use_bias=use_bias), layer)


def test_conv_channels_first():
    layer = built(L.Conv2D(4, 3, data_format="channels_first"), (None, 6, 9, 9))
    assert_matches(F.conv2d(4, 3, 6), layer)


def test_conv_dilated_and_lora():
    layer = built(L.Conv1D(6, 3, dilation_rate=4), (None, 20, 5))
    assert_matches(F.conv1d(6, 3, 5), layer)
    layer.enable_lora(2)
    assert_matches(F.conv1d(6, 3, 5, lora_rank=2), layer)


@given(
    rank=st.sampled_from([1, 2, 3]),
    filters=small,
    channels=small,
    kernel=st.integers(1, 3),
    use_bias=flags,
)
def test_conv_transpose_random(rank, filters, channels, kernel, use_bias):
    layer = built(
        TRANSPOSE[rank](filters, kernel, use_bias=use_bias), (*spatial(rank, 4), channels)
    )
    assert_matches(F.conv_transpose(rank, filters, kernel, channels, use_bias=use_bias), layer)


@given(
    rank=st.sampled_from([1, 2]),
    channels=small,
    multiplier=st.integers(1, 3),
    kernel=st.integers(1, 3),
    use_bias=flags,
)
def test_depthwise_random(rank, channels, multiplier, kernel, use_bias):
    cls = {1: L.DepthwiseConv1D, 2: L.DepthwiseConv2D}[rank]
    layer = built(
        cls(kernel, depth_multiplier=multiplier, use_bias=use_bias), (*spatial(rank, 5), channels)
    )
    expected = F.depthwise_conv(
        rank, kernel, channels, depth_multiplier=multiplier, use_bias=use_bias
    )
    assert_matches(expected, layer)


@given(
    rank=st.sampled_from([1, 2]),
    filters=small,
    channels=small,
    multiplier=st.integers(1, 3),
    kernel=st.integers(1, 3),
    use_bias=flags,
)
def test_separable_random(rank, filters, channels, multiplier, kernel, use_bias):
    cls = {1: L.SeparableConv1D, 2: L.SeparableConv2D}[rank]
    layer = built(
        cls(filters, kernel, depth_multiplier=multiplier, use_bias=use_bias),
        (*spatial(rank, 5), channels),
    )
    expected = F.separable_conv(
        rank, filters, kernel, channels, depth_multiplier=multiplier, use_bias=use_bias
    )
    assert_matches(expected, layer)


# --- recurrent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls,formula,units,input_dim,expected",
    [
        (L.LSTM, F.lstm, 64, 6, 18_176),
        (L.LSTM, F.lstm, 64, 64, 33_024),
        (L.SimpleRNN, F.simple_rnn, 4, 6, 44),
        (L.GRU, F.gru, 4, 6, 144),
    ],
)
def test_recurrent_known_numbers(cls, formula, units, input_dim, expected):
    layer = built(cls(units), (None, 10, input_dim))
    b = formula(units, input_dim)
    assert_matches(b, layer)
    assert b.total == expected


@given(units=small, input_dim=small, use_bias=flags, reset_after=flags)
def test_gru_random(units, input_dim, use_bias, reset_after):
    layer = built(L.GRU(units, use_bias=use_bias, reset_after=reset_after), (None, 4, input_dim))
    assert_matches(F.gru(units, input_dim, use_bias=use_bias, reset_after=reset_after), layer)


def test_gru_reset_after_adds_one_bias_per_gate_unit():
    units, n = 8, 5
    assert F.gru(units, n).total - F.gru(units, n, reset_after=False).total == 3 * units


@given(cell=st.sampled_from(["LSTM", "SimpleRNN"]), units=small, input_dim=small, use_bias=flags)
def test_lstm_simple_rnn_random(cell, units, input_dim, use_bias):
    cls, formula = {"LSTM": (L.LSTM, F.lstm), "SimpleRNN": (L.SimpleRNN, F.simple_rnn)}[cell]
    layer = built(cls(units, use_bias=use_bias), (None, 4, input_dim))
    assert_matches(formula(units, input_dim, use_bias=use_bias), layer)


@given(
    rank=st.sampled_from([1, 2, 3]),
    filters=st.integers(1, 4),
    channels=st.integers(1, 4),
    kernel=st.integers(1, 3),
    use_bias=flags,
)
def test_conv_lstm_random(rank, filters, channels, kernel, use_bias):
    cls = {1: L.ConvLSTM1D, 2: L.ConvLSTM2D, 3: L.ConvLSTM3D}[rank]
    layer = built(cls(filters, kernel, use_bias=use_bias), (None, 2) + (4,) * rank + (channels,))
    assert_matches(F.conv_lstm(rank, filters, kernel, channels, use_bias=use_bias), layer)


def test_stacked_cells():
    layer = built(
        L.RNN(L.StackedRNNCells([L.LSTMCell(4), L.GRUCell(3), L.SimpleRNNCell(2)])), (None, 10, 6)
    )
    expected = F.stacked_cells([F.lstm(4, 6), F.gru(3, 4), F.simple_rnn(2, 3)])
    assert_matches(expected, layer)


# --- wrappers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "inner,formula", [(L.LSTM, F.lstm), (L.GRU, F.gru), (L.SimpleRNN, F.simple_rnn)]
)
def test_bidirectional_doubles(inner, formula):
    layer = built(L.Bidirectional(inner(5)), (None, 7, 3))
    b = F.bidirectional(formula(5, 3))
    assert_matches(b, layer)
    assert b.total == 2 * formula(5, 3).total


def test_bidirectional_lstm_head_327600():
    """The seed's BiLSTM on BERT outputs: 50 units per direction on 768-wide vectors."""
    layer = built(L.Bidirectional(L.LSTM(50, return_sequences=True)), (None, 10, 768))
    b = F.bidirectional(F.lstm(50, 768))
    assert_matches(b, layer)
    assert b.total == 2 * 4 * (50 * (50 + 768) + 50) == 327_600


def test_bidirectional_with_different_backward_layer():
    layer = built(
        L.Bidirectional(L.LSTM(4), backward_layer=L.GRU(4, go_backwards=True)), (None, 7, 3)
    )
    assert_matches(F.bidirectional(F.lstm(4, 3), F.gru(4, 3)), layer)


def test_time_distributed_counts_once():
    layer = built(L.TimeDistributed(L.Dense(4)), (None, 10, 6))
    assert_matches(F.time_distributed(F.dense(4, 6)), layer)
    conv = built(L.TimeDistributed(L.Conv2D(8, 3)), (None, 5, 9, 9, 3))
    assert_matches(F.time_distributed(F.conv2d(8, 3, 3)), conv)


def test_spectral_normalization():
    layer = built(L.SpectralNormalization(L.Dense(4)), (None, 6))
    assert_matches(F.spectral_normalization(F.dense(4, 6)), layer)
    conv = built(L.SpectralNormalization(L.Conv2D(5, 3)), (None, 8, 8, 2))
    assert_matches(F.spectral_normalization(F.conv2d(5, 3, 2)), conv)


def test_wrappers_keep_what_they_wrap():
    """A wrapper's Breakdown has its own family and holds the inner breakdown, so code
    chooses by these fields, never by parsing `layer` ("Bidirectional(LSTM)")."""
    lstm, dense = F.lstm(5, 3), F.dense(4, 6)
    cases = [
        (F.bidirectional(lstm), Family.BIDIRECTIONAL, lstm, "Bidirectional(LSTM)"),
        (F.time_distributed(dense), Family.TIME_DISTRIBUTED, dense, "TimeDistributed(Dense)"),
        (
            F.spectral_normalization(dense),
            Family.SPECTRAL_NORMALIZATION,
            dense,
            "SpectralNormalization(Dense)",
        ),
    ]
    for b, family, inner, layer in cases:
        assert (b.family, b.wrapped, b.core, b.layer) == (family, inner, inner, layer)
    nested = F.bidirectional(F.time_distributed(dense))
    assert nested.core == dense and nested.wrapped.family is Family.TIME_DISTRIBUTED
    assert (lstm.family, lstm.wrapped, lstm.core) == (Family.LSTM, None, lstm)


# --- normalization -------------------------------------------------------------------------


@given(features=st.integers(1, 64), center=flags, scale=flags)
def test_batch_normalization(features, center, scale):
    layer = built(L.BatchNormalization(center=center, scale=scale), (None, 5, features))
    assert_matches(F.batch_normalization(features, center=center, scale=scale), layer)


def test_batch_normalization_keras_128_pytorch_64():
    b = F.batch_normalization(32)
    assert_matches(b, built(L.BatchNormalization(), (None, 8, 8, 32)))
    assert (b.total, b.trainable, b.non_trainable) == (128, 64, 64)


@given(features=small, center=flags, scale=flags)
def test_layer_normalization(features, center, scale):
    layer = built(L.LayerNormalization(center=center, scale=scale), (None, 3, features))
    assert_matches(F.layer_normalization(features, center=center, scale=scale), layer)


def test_layer_normalization_over_two_axes():
    layer = built(L.LayerNormalization(axis=[1, 2]), (None, 3, 4))
    assert_matches(F.layer_normalization((3, 4)), layer)


def test_rms_normalization():
    assert_matches(F.rms_normalization(6), built(L.RMSNormalization(), (None, 3, 6)))


@given(groups_count=st.integers(1, 4), per_group=st.integers(1, 4), center=flags, scale=flags)
def test_group_normalization(groups_count, per_group, center, scale):
    channels = groups_count * per_group
    layer = built(
        L.GroupNormalization(groups_count, center=center, scale=scale), (None, 5, channels)
    )
    expected = F.group_normalization(groups_count, channels, center=center, scale=scale)
    assert_matches(expected, layer)


def test_instance_normalization_groups_minus_one():
    layer = built(L.GroupNormalization(groups=-1), (None, 5, 6))
    assert_matches(F.group_normalization(-1, 6), layer)


def test_unit_normalization():
    assert_matches(F.unit_normalization(), built(L.UnitNormalization(), (None, 6)))


def test_normalization_adapted_and_given():
    layer = L.Normalization()
    layer.adapt(keras.ops.ones((3, 6)))
    assert_matches(F.normalization(6), layer)
    assert F.normalization(6).total == layer.count_params() == 13
    per_cell = built(L.Normalization(axis=(1, 2)), (None, 5, 6))
    assert_matches(F.normalization((5, 6)), per_cell)
    fixed = built(L.Normalization(mean=2.0, variance=3.0), (None, 6))
    assert_matches(F.normalization(6, given=True), fixed)


# --- attention -----------------------------------------------------------------------------


@given(
    heads=st.integers(1, 3),
    key_dim=st.integers(1, 4),
    value_dim=st.one_of(st.none(), small),
    q=small,
    v=small,
    k=st.one_of(st.none(), small),
    use_bias=flags,
    out=st.one_of(st.none(), small),
    use_gate=flags,
)
def test_multi_head_attention(heads, key_dim, value_dim, q, v, k, use_bias, out, use_gate):
    layer = L.MultiHeadAttention(
        heads, key_dim, value_dim=value_dim, use_bias=use_bias, output_shape=out, use_gate=use_gate
    )
    layer.build((None, 4, q), (None, 5, v), None if k is None else (None, 5, k))
    expected = F.multi_head_attention(
        heads,
        key_dim,
        q,
        v,
        key_input_dim=k,
        value_dim=value_dim,
        output_shape=out,
        use_bias=use_bias,
        use_gate=use_gate,
    )
    assert_matches(expected, layer)


def test_multi_head_attention_tuple_output_shape():
    layer = L.MultiHeadAttention(2, 3, output_shape=(2, 5))
    layer.build((None, 4, 6), (None, 4, 6))
    assert_matches(F.multi_head_attention(2, 3, 6, 6, output_shape=(2, 5)), layer)


@given(
    head_dim=small,
    kv=st.integers(1, 3),
    per=st.integers(1, 3),
    q=small,
    v=small,
    use_bias=flags,
    use_gate=flags,
)
def test_grouped_query_attention(head_dim, kv, per, q, v, use_bias, use_gate):
    layer = L.GroupQueryAttention(head_dim, kv * per, kv, use_bias=use_bias, use_gate=use_gate)
    layer.build((None, 4, q), (None, 5, v))
    expected = F.grouped_query_attention(
        head_dim, kv * per, kv, q, v, use_bias=use_bias, use_gate=use_gate
    )
    assert_matches(expected, layer)


@pytest.mark.parametrize("use_scale", [True, False])
@pytest.mark.parametrize("score_mode", ["dot", "concat"])
def test_dot_product_attention(use_scale, score_mode):
    layer = built(
        L.Attention(use_scale=use_scale, score_mode=score_mode), [(None, 5, 6), (None, 5, 6)]
    )
    assert_matches(F.dot_product_attention(use_scale=use_scale, score_mode=score_mode), layer)


@pytest.mark.parametrize("use_scale", [True, False])
def test_additive_attention(use_scale):
    layer = built(L.AdditiveAttention(use_scale=use_scale), [(None, 5, 6), (None, 7, 6)])
    assert_matches(F.additive_attention(6, use_scale=use_scale), layer)


# --- the rest ------------------------------------------------------------------------------


@pytest.mark.parametrize("shared_axes", [None, [1], [1, 2], [2]])
def test_prelu(shared_axes):
    layer = built(L.PReLU(shared_axes=shared_axes), (None, 5, 6, 3))
    assert_matches(F.prelu((5, 6, 3), shared_axes=shared_axes), layer)


@pytest.mark.parametrize("mode", ["log", "real", "imag"])
@pytest.mark.parametrize("frame_length,fft_length", [(16, None), (20, None), (16, 64)])
def test_stft_spectrogram(mode, frame_length, fft_length):
    layer = built(
        L.STFTSpectrogram(
            mode=mode, frame_length=frame_length, frame_step=4, fft_length=fft_length
        ),
        (None, 64, 1),
    )
    assert_matches(F.stft_spectrogram(frame_length, fft_length=fft_length, mode=mode), layer)


def test_convnext_layer_scale():
    from keras.src.applications.convnext import LayerScale

    layer = built(LayerScale(1e-6, 96), (None, 7, 7, 96))
    b = F.layer_scale(96)
    assert_matches(b, layer)
    assert b.terms[0].name == "variable"  # LayerScale does not name its weight


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("use_bias", [True, False])
@pytest.mark.parametrize("units,input_dim", [(1, 1), (7, 3), (64, 6)])
def test_the_lessons_recurrent_formula_ends_on_keras_count(units, input_dim, use_bias, reset_after):
    """`Breakdown.lesson` (4 * (units * (units + input_dim) + units), ...) ends on Keras' count."""
    cases = [
        (F.lstm(units, input_dim, use_bias=use_bias), L.LSTM(units, use_bias=use_bias)),
        (
            F.gru(units, input_dim, use_bias=use_bias, reset_after=reset_after),
            L.GRU(units, use_bias=use_bias, reset_after=reset_after),
        ),
        (F.simple_rnn(units, input_dim, use_bias=use_bias), L.SimpleRNN(units, use_bias=use_bias)),
    ]
    for b, layer in cases:
        layer.build((None, 5, input_dim))
        assert b.lesson.endswith(f"= {layer.count_params():,}"), b.lesson
        assert b.explanation == b.lesson
    both = F.bidirectional(cases[0][0])
    assert both.lesson.endswith(f"= {2 * cases[0][1].count_params():,}")


def test_counted_says_one_thing_once():
    from paramlab.core.terms import counted

    assert counted(1, "step") == "1 step"
    assert counted(2_048, "step") == "2,048 steps"
    assert counted(1, "padding step") == "1 padding step"
    assert counted(0, "bias", "biases") == "0 biases"
