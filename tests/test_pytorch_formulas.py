"""paramlab.core.pytorch without torch: the arithmetic, the course's figures, the momentum
conversions and the argument errors. The same figures are checked against real torch in
tests/test_pytorch.py.
"""

from __future__ import annotations

import math
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paramlab.core import formulas as F
from paramlab.core import pytorch as P
from paramlab.core.terms import Breakdown, Family

small = st.integers(min_value=1, max_value=9)
flags = st.booleans()


def test_the_module_imports_no_torch_keras_or_ipywidgets():
    code = (
        "import sys, paramlab.core.pytorch; "
        "print(sorted(m for m in ('torch', 'keras', 'tensorflow', 'ipywidgets') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- The course's figures ----------------------------------------------------------------------


def test_lstm_64_on_6_features_has_the_second_bias():
    b = P.lstm(64, 6)
    assert b.term_names == ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0")
    assert [b[n].shape for n in b.term_names] == [(256, 6), (256, 64), (256,), (256,)]
    assert b.total == 18_432 == 4 * (64 * (64 + 6) + 2 * 64)
    c = P.lstm_vs_keras(64, 6)
    assert (c.keras.total, c.torch.parameter_count, c.difference) == (18_176, 18_432, 256)
    assert c.difference == 4 * 64 == b["bias_hh_l0"].count
    assert str(c) == (
        "Keras LSTM: 18,176 | torch nn.LSTM: 18,432 | torch - Keras = +256: "
        "bias_hh_l0, the second bias: 4 * hidden_size = 4 * 64 = 256"
    )


def test_lstm_text():
    assert str(P.lstm(64, 6)).splitlines()[:5] == [
        "nn.LSTM: 18,432 parameters",
        "  weight_ih_l0 (256, 6): 4 * hidden_size * input_size = 4 * 64 * 6 = 1,536",
        "  weight_hh_l0 (256, 64): 4 * hidden_size * hidden_size = 4 * 64 * 64 = 16,384",
        "  bias_ih_l0 (256,): 4 * hidden_size = 4 * 64 = 256",
        "  bias_hh_l0 (256,): 4 * hidden_size = 4 * 64 = 256",
    ]


@pytest.mark.parametrize("reset_after,difference", [(True, 0), (False, 3 * 64)])
def test_gru_matches_keras_reset_after(reset_after, difference):
    c = P.gru_vs_keras(64, 6, reset_after=reset_after)
    assert c.torch.parameter_count == 3 * (64 * (64 + 6) + 2 * 64) == 13_824
    assert c.difference == difference


def test_rnn_has_two_biases_too():
    c = P.simple_rnn_vs_keras(64, 6)
    assert (c.keras.total, c.torch.parameter_count, c.difference) == (4_544, 4_608, 64)


def test_batch_norm_32_channels():
    bn = P.batch_norm(32)
    assert bn.module == "nn.BatchNorm2d"
    assert bn.parameters.term_names == ("weight", "bias")
    assert bn.buffers.term_names == ("running_mean", "running_var", "num_batches_tracked")
    assert bn["num_batches_tracked"].shape == ()
    assert (bn.parameter_count, bn.buffer_count) == (64, 65)
    assert bn.state_dict_keys == bn.parameters.term_names + bn.buffers.term_names
    assert (len(bn.state_dict_keys), bn.state_dict_numel, bn.state_dict_bytes) == (5, 129, 520)
    assert all(t.trainable for t in bn.parameters.terms)
    assert not any(t.trainable for t in bn.buffers.terms)
    c = P.batch_norm_vs_keras(32)
    assert (c.keras.total, c.torch.parameter_count, c.difference) == (128, 64, -64)
    assert c.keras.trainable == c.torch.parameter_count


def test_batch_norm_text():
    assert str(P.batch_norm(32)).splitlines()[:9] == [
        "nn.BatchNorm2d: 64 parameters",
        "  weight (32,): num_features = 32",
        "  bias (32,): num_features = 32",
        "  parameters: weight + bias = 32 + 32 = 64",
        "  buffers (not parameters): 65 numbers",
        "  running_mean (32,): num_features = 32",
        "  running_var (32,): num_features = 32",
        "  num_batches_tracked (): 1 (a scalar) (int64)",
        "  state_dict: 5 entries, 129 numbers, 520 bytes",
    ]


@pytest.mark.parametrize(
    "affine,track,params,buffers,keys",
    [(True, True, 14, 15, 5), (False, True, 0, 15, 3), (True, False, 14, 0, 2)],
)
def test_batch_norm_switches(affine, track, params, buffers, keys):
    bn = P.batch_norm(7, affine=affine, track_running_stats=track, rank=1)
    assert bn.module == "nn.BatchNorm1d"
    assert (bn.parameter_count, bn.buffer_count) == (params, buffers)
    assert len(bn.state_dict_keys) == keys


def test_the_keras_vs_pytorch_cnn_of_notebook_05():
    """Conv2D(32, 3) + BatchNormalization + Dense(100) + Dense(10) on 64x64x1: Keras 13,108,758
    with 64 non-trainable, torch 13,108,694 = Keras' trainable count."""
    flat = 64 * 64 * 32
    torch_model = P.sequential(
        P.conv2d(1, 32, 3),
        P.batch_norm(32),
        P.counts(Breakdown("nn.Flatten", family=Family.PARAMETER_FREE)),
        P.linear(flat, 100),
        P.linear(100, 10),
    )
    keras_parts = [
        F.conv2d(32, 3, 1),
        F.batch_normalization(32),
        F.dense(100, flat),
        F.dense(10, 100),
    ]
    keras_total = sum(b.total for b in keras_parts)
    keras_trainable = sum(b.trainable for b in keras_parts)
    assert (keras_total, keras_trainable) == (13_108_758, 13_108_694)
    assert torch_model.parameter_count == 13_108_694 == keras_trainable
    assert torch_model.buffers.term_names == (
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    )
    assert torch_model.state_dict_keys[:7] == (
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
    )
    assert torch_model.state_dict_numel == keras_total + 1  # num_batches_tracked


# --- Arithmetic over random configurations ---------------------------------------------------


@given(
    h=st.integers(2, 12),
    n=small,
    layers=st.integers(1, 3),
    bias=flags,
    two_way=flags,
    proj=st.integers(0, 11),
)
def test_lstm_closed_form(h, n, layers, bias, two_way, proj):
    p = proj % h
    b = P.lstm(h, n, bias=bias, num_layers=layers, bidirectional=two_way, proj_size=p)
    d = 2 if two_way else 1
    out = p or h

    def one(inputs):
        return 4 * h * (inputs + out + 2 * bias) + p * h

    assert b.total == d * (one(n) + (layers - 1) * one(d * out))
    assert len(b.terms) == layers * d * (2 + 2 * bias + (p > 0))
    for t in b.terms:
        assert t.count == math.prod(t.shape) == math.prod(v for _, v in t.factors)


@given(h=small, n=small, layers=st.integers(1, 3), bias=flags, two_way=flags)
def test_gru_and_rnn_are_lstm_with_fewer_gates(h, n, layers, bias, two_way):
    kw = {"bias": bias, "num_layers": layers, "bidirectional": two_way}
    lstm, gru, rnn = P.lstm(h, n, **kw), P.gru(h, n, **kw), P.rnn(h, n, **kw)
    assert lstm.term_names == gru.term_names == rnn.term_names
    assert lstm.total == 4 * rnn.total
    assert gru.total == 3 * rnn.total


@given(units=small, n=small)
def test_lstm_difference_is_always_four_units(units, n):
    assert P.lstm_vs_keras(units, n).difference == 4 * units
    assert F.gru(units, n, reset_after=True).total == P.gru(units, n).total


@given(i=small, o=small, bias=flags)
def test_linear_is_dense(i, o, bias):
    assert P.linear(i, o, bias=bias).total == F.dense(o, i, use_bias=bias).total
    assert P.linear(i, o, bias=bias)["weight"].shape == (o, i)


@given(i=small, o=small, k=small, groups=st.sampled_from([1, 2, 3]), bias=flags)
def test_conv2d_is_keras_conv2d(i, o, k, groups, bias):
    i, o = i * groups, o * groups
    b = P.conv2d(i, o, (k, 2), groups=groups, bias=bias)
    assert b.total == F.conv2d(o, (k, 2), i, groups=groups, use_bias=bias).total
    assert b["weight"].shape == (o, i // groups, k, 2)


# --- Momentum and epsilon --------------------------------------------------------------------


@pytest.mark.parametrize(
    "keras_m,torch_m", [(0.99, 0.01), (0.9, 0.1), (0.15, 0.85), (0.999, 0.001), (0, 1), (1, 0)]
)
def test_momentum_complements_are_the_decimals_you_type(keras_m, torch_m):
    assert P.keras_momentum_to_torch(keras_m) == torch_m
    assert P.torch_momentum_to_keras(torch_m) == keras_m
    assert isinstance(P.keras_momentum_to_torch(keras_m), float)


def test_plain_subtraction_would_not_give_0_01():
    assert 1 - 0.99 == 0.010000000000000009  # what the conversion avoids
    assert repr(P.keras_momentum_to_torch(0.99)) == "0.01"


decimals = st.integers(0, 15).flatmap(
    lambda places: st.integers(0, 10**places).map(lambda k: Decimal(k).scaleb(-places))
)


@given(d=decimals)
def test_momentum_round_trip_on_decimals(d):
    """Every decimal in [0, 1] with up to 15 places goes there and back exactly."""
    m = float(d)
    assert P.keras_momentum_to_torch(m) == float(1 - d)
    assert P.keras_momentum_to_torch(m) == float(1 - Decimal(repr(m)))
    assert P.torch_momentum_to_keras(P.keras_momentum_to_torch(m)) == m


def test_defaults_and_their_meaning():
    assert (P.KERAS_BATCHNORM_EPSILON, P.TORCH_BATCHNORM_EPSILON) == (1e-3, 1e-5)
    assert (P.KERAS_BATCHNORM_MOMENTUM, P.TORCH_BATCHNORM_MOMENTUM) == (0.99, 0.1)
    # the defaults are not each other's complement: torch's 0.1 is Keras' 0.9
    assert P.torch_momentum_to_keras(P.TORCH_BATCHNORM_MOMENTUM) == 0.9
    assert P.keras_momentum_to_torch(P.KERAS_BATCHNORM_MOMENTUM) == 0.01


# --- Errors in Keras' voice ------------------------------------------------------------------


@pytest.mark.parametrize(
    "call,name,value",
    [
        (lambda: P.lstm(0, 6), "hidden_size", "0"),
        (lambda: P.lstm(4, -1), "input_size", "-1"),
        (lambda: P.gru(4, 6, num_layers=0), "num_layers", "0"),
        (lambda: P.rnn(-3, 6), "hidden_size", "-3"),
        (lambda: P.linear(0, 3), "in_features", "0"),
        (lambda: P.linear(3, 0), "out_features", "0"),
        (lambda: P.conv2d(3, 0, 3), "out_channels", "0"),
        (lambda: P.batch_norm(0), "num_features", "0"),
    ],
)
def test_non_positive(call, name, value):
    with pytest.raises(
        ValueError,
        match=rf"Invalid value for argument `{name}`\. Expected a strictly positive integer\. "
        rf"Received: {name}={value}$",
    ):
        call()


@pytest.mark.parametrize(
    "call,name,shown",
    [
        (lambda: P.lstm(64.0, 6), "hidden_size", r"64\.0 \(of type float\)"),
        (lambda: P.lstm(True, 6), "hidden_size", r"True \(of type bool\)"),
        (lambda: P.gru(4, "6"), "input_size", r"'6' \(of type str\)"),
        (lambda: P.lstm(4, 6, proj_size=1.5), "proj_size", r"1\.5 \(of type float\)"),
    ],
)
def test_not_an_integer(call, name, shown):
    with pytest.raises(
        TypeError, match=rf"The argument `{name}` must be an integer\. Received: {name}={shown}"
    ):
        call()


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: P.lstm(4, 6, bias=1), "bias"),
        (lambda: P.rnn(4, 6, bidirectional="yes"), "bidirectional"),
        (lambda: P.batch_norm(4, affine=None), "affine"),
        (lambda: P.batch_norm(4, track_running_stats=0), "track_running_stats"),
    ],
)
def test_flags_must_be_bools(call, name):
    with pytest.raises(TypeError, match=rf"The argument `{name}` must be True or False\."):
        call()


def test_proj_size_errors():
    with pytest.raises(
        ValueError,
        match=r"proj_size < hidden_size\. Received: proj_size=8, hidden_size=8$",
    ):
        P.lstm(8, 3, proj_size=8)
    with pytest.raises(ValueError, match=r"or 0 for no projection\. Received: proj_size=-1$"):
        P.lstm(8, 3, proj_size=-1)
    with pytest.raises(TypeError, match="proj_size"):  # only LSTM projects
        P.gru(8, 3, proj_size=2)  # type: ignore[call-arg]


def test_conv_and_batch_norm_errors():
    with pytest.raises(
        ValueError,
        match=r"The number of in channels must be evenly divisible by the number of groups\. "
        r"Received: groups=2, in_channels=3$",
    ):
        P.conv2d(3, 4, 3, groups=2)
    with pytest.raises(ValueError, match=r"BatchNorm3d\. Received: rank=4$"):
        P.batch_norm(4, rank=4)
    with pytest.raises(ValueError, match=r"at least one module here\. Received: modules=\(\)$"):
        P.sequential()
    with pytest.raises(TypeError, match=r"Received: part=3 \(of type int\)$"):
        P.counts(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call,error,match",
    [
        (lambda: P.keras_momentum_to_torch(1.5), ValueError, r"Received: momentum=1\.5$"),
        (lambda: P.keras_momentum_to_torch(-0.1), ValueError, r"Received: momentum=-0\.1$"),
        (lambda: P.keras_momentum_to_torch(float("nan")), ValueError, r"momentum=nan$"),
        (lambda: P.keras_momentum_to_torch("0.9"), TypeError, r"momentum='0\.9' \(of type str"),
        (lambda: P.keras_momentum_to_torch(True), TypeError, r"momentum=True \(of type bool"),
        (lambda: P.keras_momentum_to_torch(None), TypeError, r"momentum=None \(of type NoneT"),
        (
            lambda: P.torch_momentum_to_keras(None),
            ValueError,
            r"cumulative average .* no such setting\. Received: momentum=None$",
        ),
    ],
)
def test_momentum_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
