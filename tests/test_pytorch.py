"""paramlab.core.pytorch against real torch: every parameter's name and shape
(`named_parameters()`), every buffer (`named_buffers()`), `state_dict()` keys, numels and
bytes, over grids and hypothesis configurations; the momentum convention shown numerically; and
the Keras side of each comparison against real Keras layers.

torch is not in the course pins (`pip install torch==2.13.0` finds a CPU build on the project
machines, elsewhere it downloads a multi-GB CUDA build): `.ci/run` installs it. Without torch
these tests skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _require import require
from hypothesis import given
from hypothesis import strategies as st

from paramlab.core import pytorch as P
from paramlab.core.terms import Breakdown, Family

try:
    import torch
    from torch import nn
except ImportError as exc:
    MISSING = f"torch is not installed ({exc}); install it with: pip install torch==2.13.0"
else:
    MISSING = ""
require(MISSING, "the PyTorch checks")

small = st.integers(min_value=1, max_value=9)
flags = st.booleans()


def shapes(pairs) -> dict[str, tuple[int, ...]]:
    return {name: tuple(t.shape) for name, t in pairs}


def assert_module(expected: P.TorchCounts | Breakdown, module: nn.Module) -> None:
    """Name by name and in torch's order: parameters, buffers, state_dict; then the totals."""
    c = P.counts(expected)
    params = {t.path: t.shape for t in c.parameters.terms}
    buffers = {t.path: t.shape for t in c.buffers.terms}
    assert list(shapes(module.named_parameters()).items()) == list(params.items())
    assert list(shapes(module.named_buffers()).items()) == list(buffers.items())
    state = module.state_dict()
    assert tuple(state) == c.state_dict_keys
    assert {k: v.numel() for k, v in state.items()} == {k: c[k].count for k in state}
    assert c.parameter_count == sum(p.numel() for p in module.parameters())
    assert c.buffer_count == sum(b.numel() for b in module.buffers())
    assert c.state_dict_numel == sum(v.numel() for v in state.values())
    assert c.state_dict_bytes == sum(v.numel() * v.element_size() for v in state.values())
    assert all(p.requires_grad for p in module.parameters())
    int64 = {k for k, v in state.items() if v.dtype == torch.int64}
    assert int64 == {k for k in state if k.rsplit(".", 1)[-1] in P.INT64_BUFFERS}


# --- Recurrent ---------------------------------------------------------------------------------


def test_lstm_64_on_6_features():
    module = nn.LSTM(6, 64)
    assert_module(P.lstm(64, 6), module)
    assert sum(p.numel() for p in module.parameters()) == 18_432


@pytest.mark.parametrize("layers", [1, 2, 3])
@pytest.mark.parametrize("two_way", [False, True])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("proj", [0, 3])
def test_lstm_grid(layers, two_way, bias, proj):
    kw = {"bias": bias, "num_layers": layers, "bidirectional": two_way}
    assert_module(P.lstm(8, 5, proj_size=proj, **kw), nn.LSTM(5, 8, proj_size=proj, **kw))


@pytest.mark.parametrize("cls,formula", [(nn.GRU, P.gru), (nn.RNN, P.rnn)])
@pytest.mark.parametrize("layers", [1, 2])
@pytest.mark.parametrize("two_way", [False, True])
@pytest.mark.parametrize("bias", [True, False])
def test_gru_rnn_grid(cls, formula, layers, two_way, bias):
    kw = {"bias": bias, "num_layers": layers, "bidirectional": two_way}
    assert_module(formula(7, 4, **kw), cls(4, 7, **kw))


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_nonlinearity_changes_no_count(nonlinearity):
    assert_module(P.rnn(6, 3), nn.RNN(3, 6, nonlinearity=nonlinearity))


@given(
    h=st.integers(2, 16),
    n=small,
    layers=st.integers(1, 3),
    bias=flags,
    two_way=flags,
    proj=st.integers(0, 15),
)
def test_lstm_random(h, n, layers, bias, two_way, proj):
    kw = {"bias": bias, "num_layers": layers, "bidirectional": two_way, "proj_size": proj % h}
    assert_module(P.lstm(h, n, **kw), nn.LSTM(n, h, **kw))


@given(
    h=small,
    n=small,
    layers=st.integers(1, 3),
    bias=flags,
    two_way=flags,
    kind=st.sampled_from(["GRU", "RNN"]),
)
def test_gru_rnn_random(h, n, layers, bias, two_way, kind):
    kw = {"bias": bias, "num_layers": layers, "bidirectional": two_way}
    formula, cls = (P.gru, nn.GRU) if kind == "GRU" else (P.rnn, nn.RNN)
    assert_module(formula(h, n, **kw), cls(n, h, **kw))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hidden_size": 0},
        {"input_size": 0},
        {"num_layers": 0},
        {"proj_size": -1},
        {"proj_size": 8},
        {"proj_size": 9},
    ],
)
def test_torch_refuses_what_we_refuse(kwargs):
    args = {"hidden_size": 8, "input_size": 3, **kwargs}
    with pytest.raises(ValueError):
        P.lstm(**args)
    with pytest.raises(ValueError):
        nn.LSTM(**args)


# --- Linear, Conv2d --------------------------------------------------------------------------


@given(i=small, o=small, bias=flags)
def test_linear_random(i, o, bias):
    assert_module(P.linear(i, o, bias=bias), nn.Linear(i, o, bias=bias))


@given(i=small, o=small, kh=small, kw=small, groups=st.sampled_from([1, 2, 3]), bias=flags)
def test_conv2d_random(i, o, kh, kw, groups, bias):
    i, o = i * groups, o * groups
    expected = P.conv2d(i, o, (kh, kw), groups=groups, bias=bias)
    assert_module(expected, nn.Conv2d(i, o, (kh, kw), groups=groups, bias=bias))


# --- BatchNorm ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rank,cls", [(1, nn.BatchNorm1d), (2, nn.BatchNorm2d), (3, nn.BatchNorm3d)]
)
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("track", [True, False])
def test_batch_norm_grid(rank, cls, affine, track):
    expected = P.batch_norm(32, affine=affine, track_running_stats=track, rank=rank)
    assert_module(expected, cls(32, affine=affine, track_running_stats=track))
    assert expected.module == cls.__name__.replace("BatchNorm", "nn.BatchNorm")


@given(c=st.integers(1, 300), affine=flags, track=flags)
def test_batch_norm_random(c, affine, track):
    expected = P.batch_norm(c, affine=affine, track_running_stats=track)
    assert_module(expected, nn.BatchNorm2d(c, affine=affine, track_running_stats=track))


def test_batch_norm_32_channels_figures():
    module = nn.BatchNorm2d(32)
    assert sum(p.numel() for p in module.parameters()) == P.batch_norm(32).parameter_count == 64
    count = module.num_batches_tracked
    assert (count.shape, count.dtype) == ((), torch.int64)
    assert len(module.state_dict()) == 5
    assert sum(v.numel() for v in module.state_dict().values()) == 129


def test_defaults_are_torch_and_keras_defaults():
    from keras import layers as L

    torch_bn, keras_bn = nn.BatchNorm2d(4), L.BatchNormalization()
    assert torch_bn.eps == P.TORCH_BATCHNORM_EPSILON
    assert torch_bn.momentum == P.TORCH_BATCHNORM_MOMENTUM
    assert keras_bn.epsilon == P.KERAS_BATCHNORM_EPSILON
    assert keras_bn.momentum == P.KERAS_BATCHNORM_MOMENTUM


# --- Models and Keras side by side ----------------------------------------------------------


def test_sequential_state_dict_order():
    expected = P.sequential(
        P.linear(3, 4),
        P.batch_norm(4, rank=1),
        Breakdown("nn.ReLU", family=Family.PARAMETER_FREE),
        P.lstm(2, 4),
    )
    module = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.LSTM(4, 2))
    assert_module(expected, module)


def test_notebook_05_cnn_keras_13_108_758_torch_13_108_694():
    import keras
    from keras import layers as L

    torch_model = nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.BatchNorm2d(32, momentum=P.keras_momentum_to_torch(0.15)),
        nn.Flatten(),
        nn.Linear(64 * 64 * 32, 100),
        nn.ReLU(),
        nn.Linear(100, 10),
    )
    none = Breakdown("no parameters", family=Family.PARAMETER_FREE)
    expected = P.sequential(
        P.conv2d(1, 32, 3),
        none,
        P.batch_norm(32),
        none,
        P.linear(64 * 64 * 32, 100),
        none,
        P.linear(100, 10),
    )
    assert_module(expected, torch_model)
    assert torch_model[2].momentum == 0.85

    inputs = keras.Input(shape=(64, 64, 1))
    x = L.Conv2D(32, (3, 3), padding="same", activation="relu")(inputs)
    x = L.BatchNormalization(momentum=0.15)(x)
    x = L.Flatten()(x)
    x = L.Dense(100, activation="relu", kernel_initializer="zeros")(x)
    cnn = keras.Model(inputs, L.Dense(10, activation="softmax")(x))
    trainable = sum(math.prod(w.shape) for w in cnn.trainable_weights)
    assert (cnn.count_params(), trainable) == (13_108_758, 13_108_694)
    assert expected.parameter_count == 13_108_694 == trainable
    assert expected.state_dict_numel == cnn.count_params() + 1  # num_batches_tracked


def _keras_layer(cls_name: str, units: int, n: int, **kw):
    from keras import layers as L

    layer = getattr(L, cls_name)(units, **kw)
    layer.build((None, 5, n))
    return layer


def test_lstm_keras_18_176_torch_18_432():
    c = P.lstm_vs_keras(64, 6)
    assert c.keras.total == _keras_layer("LSTM", 64, 6).count_params() == 18_176
    assert c.torch.parameter_count == sum(p.numel() for p in nn.LSTM(6, 64).parameters())
    assert c.difference == 256 == nn.LSTM(6, 64).bias_hh_l0.numel()


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_keras_vs_torch(reset_after):
    c = P.gru_vs_keras(8, 3, reset_after=reset_after)
    assert c.keras.total == _keras_layer("GRU", 8, 3, reset_after=reset_after).count_params()
    assert c.torch.parameter_count == sum(p.numel() for p in nn.GRU(3, 8).parameters())
    assert c.difference == (0 if reset_after else 3 * 8)


def test_simple_rnn_keras_vs_torch():
    c = P.simple_rnn_vs_keras(8, 3)
    assert c.keras.total == _keras_layer("SimpleRNN", 8, 3).count_params()
    assert c.torch.parameter_count == sum(p.numel() for p in nn.RNN(3, 8).parameters())
    assert c.difference == 8


def test_batch_norm_keras_128_torch_64():
    from keras import layers as L

    layer = L.BatchNormalization()
    layer.build((None, 8, 8, 32))
    c = P.batch_norm_vs_keras(32)
    assert c.keras.total == layer.count_params() == 128
    assert c.torch.parameter_count == sum(p.numel() for p in nn.BatchNorm2d(32).parameters()) == 64
    assert c.difference == -64
    assert c.keras.trainable == sum(math.prod(w.shape) for w in layer.trainable_weights) == 64


# --- Momentum, shown numerically -----------------------------------------------------------


@pytest.mark.parametrize("keras_m", [0.99, 0.9, 0.15])
def test_torch_momentum_1_minus_m_moves_the_mean_as_keras_does(keras_m):
    """One training-mode forward pass of nn.BatchNorm1d(momentum=1 - m) and of Keras'
    BatchNormalization(momentum=m): the running means agree with Keras' formula
    moving = m * moving + (1 - m) * batch_mean. The variances differ by n / (n - 1): torch
    takes the unbiased batch variance, Keras the biased one."""
    from keras import layers as L

    rng = np.random.default_rng(0)
    n, c = 16, 5
    batch = rng.normal(2.0, 3.0, size=(n, c))
    start_mean, start_var = rng.normal(size=c), rng.uniform(0.5, 2.0, size=c)

    module = nn.BatchNorm1d(c, momentum=P.keras_momentum_to_torch(keras_m)).double().train()
    with torch.no_grad():
        module.running_mean.copy_(torch.from_numpy(start_mean))
        module.running_var.copy_(torch.from_numpy(start_var))
        module(torch.from_numpy(batch))

    by_hand_mean = keras_m * start_mean + (1 - keras_m) * batch.mean(axis=0)
    np.testing.assert_allclose(module.running_mean.numpy(), by_hand_mean, rtol=1e-13)
    unbiased = keras_m * start_var + (1 - keras_m) * batch.var(axis=0, ddof=1)
    np.testing.assert_allclose(module.running_var.numpy(), unbiased, rtol=1e-13)
    assert int(module.num_batches_tracked) == 1

    layer = L.BatchNormalization(momentum=keras_m, dtype="float64")
    layer.build((None, c))
    layer.moving_mean.assign(start_mean)
    layer.moving_variance.assign(start_var)
    layer(batch, training=True)
    np.testing.assert_allclose(np.asarray(layer.moving_mean), by_hand_mean, rtol=1e-12)
    biased = keras_m * start_var + (1 - keras_m) * batch.var(axis=0, ddof=0)
    np.testing.assert_allclose(np.asarray(layer.moving_variance), biased, rtol=1e-12)
    assert not np.allclose(np.asarray(layer.moving_variance), module.running_var.numpy())


def test_torch_default_momentum_is_keras_0_9():
    rng = np.random.default_rng(1)
    batch = rng.normal(size=(8, 3))
    module = nn.BatchNorm1d(3).double().train()  # momentum=0.1, running_mean starts at 0
    with torch.no_grad():
        module(torch.from_numpy(batch))
    keras_m = P.torch_momentum_to_keras(module.momentum)
    assert keras_m == 0.9
    np.testing.assert_allclose(
        module.running_mean.numpy(), (1 - keras_m) * batch.mean(axis=0), rtol=1e-13
    )
