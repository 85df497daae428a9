"""explain(model, batch_size=...): every layer family's activations and multiply-adds against an
independent count.

Multiply-adds: each family has a naive implementation here (Python loops over positions,
windows, steps and heads) that counts every multiply-add it performs and every bias value it
adds, and whose output is checked against the real Keras layer with the same weights, so the
count is of the computation Keras does. Activations: the model is run on a batch and its
layers' outputs are measured (`size`, `nbytes`). A small grid per family, a hypothesis sample of
convolutions and recurrent layers, the totals, the VGG lesson (weights in the Dense layers,
compute in the convolutions), the errors, and torchinfo's Mult-Adds where torch and torchinfo
are installed (torchinfo is not a pin: that test skips without it).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import keras
import numpy as np
import pytest
from fixtures import models
from hypothesis import given
from hypothesis import strategies as st
from keras import layers as L

import paramlab
from paramlab.core import costs as C

GOLDEN = Path(__file__).parent / "golden"
RNG = np.random.default_rng(18)


class Counter:
    """The multiply-adds a naive implementation performs: `dot` counts one per product."""

    def __init__(self) -> None:
        self.macs = 0

    def dot(self, a: np.ndarray, b: np.ndarray) -> float:
        assert a.shape == b.shape
        self.macs += a.size
        return float(np.sum(a * b))

    def matvec(self, v: np.ndarray, w: np.ndarray) -> np.ndarray:
        """v @ w as one dot per output column."""
        return np.array([self.dot(v, w[:, j]) for j in range(w.shape[1])])

    def add_bias(self, v: np.ndarray, b: np.ndarray) -> np.ndarray:
        self.macs += b.size  # a bias value added: one multiply-add (torchinfo's convention)
        return v + b


def weights(layer) -> dict[str, np.ndarray]:
    """A layer's weights by name (`kernel`) and by path inside the layer (`query/kernel`)."""
    by_name = {w.name: np.asarray(w) for w in layer.weights}
    return by_name | {w.path.split("/", 1)[1]: np.asarray(w) for w in layer.weights}


def floats(*shape: int) -> np.ndarray:
    return RNG.normal(size=shape).astype("float32")


def model_of(layer, input_shape, dtype="float32") -> keras.Model:
    x = keras.Input(input_shape, dtype=dtype)
    return keras.Model(x, layer(x))


def row_cost(model, name, n):
    return paramlab.explain(model, batch_size=n).row(name).cost


def check(model, layer, x, expected, count, *, atol=1e-4):
    """The naive output matches Keras', and explain's figures are the naive count and the
    measured output of the layer."""
    got = np.asarray(layer(x))
    np.testing.assert_allclose(expected, got, rtol=1e-4, atol=atol)
    cost = row_cost(model, layer.name, x.shape[0])
    assert cost.macs == count
    assert (cost.activations, cost.activation_bytes) == (got.size, got.nbytes)


# --- Dense, convolutions --------------------------------------------------------------------


def naive_dense(c: Counter, x, w, use_bias):
    out = np.zeros((*x.shape[:-1], w["kernel"].shape[1]))
    for pos in np.ndindex(*x.shape[:-1]):
        out[pos] = c.matvec(x[pos], w["kernel"])
        if use_bias:
            out[pos] = c.add_bias(out[pos], w["bias"])
    return out


@pytest.mark.parametrize(
    ("shape", "units", "use_bias"), [((5,), 3, True), ((4, 6), 2, False), ((2, 3, 4), 5, True)]
)
def test_dense_on_any_rank(shape, units, use_bias):
    layer = L.Dense(units, use_bias=use_bias, name="dense")
    model, x, c = model_of(layer, shape), floats(3, *shape), Counter()
    check(model, layer, x, naive_dense(c, x, weights(layer), use_bias), c.macs)


def pads(n, k, s, d, padding):
    span = (k - 1) * d + 1
    if padding == "valid":
        return 0, 0
    if padding == "causal":
        return span - 1, 0
    total = max((-(-n // s) - 1) * s + span - n, 0)  # TensorFlow's 'same'
    return total // 2, total - total // 2


def naive_conv(c: Counter, x, kernel, bias, strides, dilation, padding, groups=1):
    """Channels last, any rank: every window times every filter's kernel, padding included."""
    ks, (cin, f) = kernel.shape[:-2], kernel.shape[-2:]
    spatial = x.shape[1:-1]
    widths = [
        pads(n, k, s, d, padding) for n, k, s, d in zip(spatial, ks, strides, dilation, strict=True)
    ]
    xp = np.pad(x, [(0, 0), *widths, (0, 0)])
    spans = [(k - 1) * d + 1 for k, d in zip(ks, dilation, strict=True)]
    outs = [(xp.shape[i + 1] - spans[i]) // strides[i] + 1 for i in range(len(ks))]
    out = np.zeros((x.shape[0], *outs, f))
    per_group = f // groups
    for n, *pos in itertools.product(range(x.shape[0]), *map(range, outs)):
        idx = tuple(
            slice(p * s, p * s + span, d)
            for p, s, span, d in zip(pos, strides, spans, dilation, strict=True)
        )
        window = xp[(n, *idx)]
        for j in range(f):
            g = j // per_group
            out[(n, *pos, j)] = c.dot(window[..., g * cin : (g + 1) * cin], kernel[..., j])
        if bias is not None:
            out[(n, *pos)] = c.add_bias(out[(n, *pos)], bias)
    return out


CONV = [  # rank, spatial, channels, filters, kernel, strides, dilation, padding, groups, bias
    (1, (9,), 3, 4, 3, 1, 1, "valid", 1, True),
    (1, (9,), 4, 4, 3, 2, 1, "same", 2, True),
    (1, (8,), 2, 3, 3, 1, 2, "causal", 1, False),
    (2, (6, 5), 3, 4, (3, 2), (2, 1), 1, "same", 1, True),
    (2, (7, 7), 4, 6, 3, 1, 2, "valid", 2, True),
    (2, (5, 6), 2, 2, 2, 2, 1, "same", 1, False),
    (3, (4, 5, 4), 2, 4, 2, (1, 2, 1), 1, "same", 2, True),
]


def conv_case(rank, spatial, channels, filters, kernel, strides, dilation, padding, groups, bias):
    cls = {1: L.Conv1D, 2: L.Conv2D, 3: L.Conv3D}[rank]
    layer = cls(
        filters,
        kernel,
        strides=strides,
        dilation_rate=dilation,
        padding=padding,
        groups=groups,
        use_bias=bias,
        name="conv",
    )
    model, x, c = model_of(layer, (*spatial, channels)), floats(2, *spatial, channels), Counter()
    w = weights(layer)
    expected = naive_conv(
        c, x, w["kernel"], w.get("bias"), layer.strides, layer.dilation_rate, padding, groups
    )
    check(model, layer, x, expected, c.macs)


@pytest.mark.parametrize("case", CONV)
def test_conv_grid(case):
    conv_case(*case)


@st.composite
def conv_configs(draw):
    rank = draw(st.sampled_from([1, 1, 2]))
    kernel = draw(st.integers(1, 3))
    strides, dilation = draw(st.sampled_from([(1, 1), (2, 1), (3, 1), (1, 2)]))
    padding = draw(st.sampled_from(["valid", "same", "causal"] if rank == 1 else ["valid", "same"]))
    groups = draw(st.sampled_from([1, 2]))
    channels, filters = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    low = (kernel - 1) * dilation + 1
    spatial = tuple(draw(st.integers(low, low + 4)) for _ in range(rank))
    bias = draw(st.booleans())
    return (rank, spatial, channels, filters, kernel, strides, dilation, padding, groups, bias)


@given(conv_configs())
def test_conv_hypothesis(case):
    conv_case(*case)


@pytest.mark.parametrize(
    ("rank", "spatial", "kernel", "strides", "padding", "multiplier", "bias"),
    [(1, (8,), 3, 2, "same", 2, True), (2, (5, 6), (2, 3), 1, "valid", 1, False)],
)
def test_depthwise_and_separable(rank, spatial, kernel, strides, padding, multiplier, bias):
    depthwise = {1: L.DepthwiseConv1D, 2: L.DepthwiseConv2D}[rank]
    separable = {1: L.SeparableConv1D, 2: L.SeparableConv2D}[rank]
    channels, x = 3, floats(2, *spatial, 3)
    args = {"strides": strides, "padding": padding, "depth_multiplier": multiplier}
    layer = depthwise(kernel, use_bias=bias, name="depthwise", **args)
    model, c = model_of(layer, (*spatial, channels)), Counter()
    w = weights(layer)
    k = w["kernel"]  # (*kernel, channels, multiplier): one filter per (channel, multiplier)
    per_channel = k.reshape(*k.shape[:-2], 1, channels * multiplier)
    grouped = np.repeat(x, multiplier, axis=-1)  # channel i feeds outputs i*m ... i*m + m - 1
    out = naive_conv(
        c,
        grouped,
        per_channel,
        w.get("bias"),
        layer.strides,
        layer.dilation_rate,
        padding,
        groups=channels * multiplier,
    )
    check(model, layer, x, out, c.macs)

    layer = separable(4, kernel, use_bias=bias, name="separable", **args)
    model, c = model_of(layer, (*spatial, channels)), Counter()
    w = weights(layer)
    k = w["depthwise_kernel"].reshape(*w["depthwise_kernel"].shape[:-2], 1, channels * multiplier)
    mid = naive_conv(
        c, grouped, k, None, layer.strides, layer.dilation_rate, padding, channels * multiplier
    )
    ones = (1,) * rank
    out = naive_conv(c, mid, w["pointwise_kernel"], w.get("bias"), ones, ones, "valid")
    check(model, layer, x, out, c.macs)


def naive_conv_transpose(c: Counter, x, kernel, bias, strides, dilation, padding, output_padding):
    """Each input value spread through the whole kernel (a scatter), then Keras' cropping."""
    ks, f = kernel.shape[:-2], kernel.shape[-2]
    spans = [(k - 1) * d + 1 for k, d in zip(ks, dilation, strict=True)]
    full = np.zeros(
        (
            x.shape[0],
            *[(n - 1) * s + sp for n, s, sp in zip(x.shape[1:-1], strides, spans, strict=True)],
            f,
        )
    )
    for n, *pos in itertools.product(range(x.shape[0]), *map(range, x.shape[1:-1])):
        for tap in itertools.product(*map(range, ks)):
            at = tuple(
                p * s + t * d for p, s, t, d in zip(pos, strides, tap, dilation, strict=True)
            )
            full[(n, *at)] += c.matvec(x[(n, *pos)], kernel[tap].T)
    crops = []  # Keras' padding of the equivalent forward convolution, as a crop of `full`
    for axis, (span, s) in enumerate(zip(spans, strides, strict=True)):
        op = None if output_padding is None else output_padding[axis]
        if padding == "valid":
            left, extra = span - 1, (max(span, s) - span) if op is None else op
            right = span - 1 + extra
        else:
            pad = s + span - 2 if op is None else span + span % 2 - 2 + op
            left = min(pad // 2 + pad % 2, span - 1)
            right = pad - left
        crops.append((span - 1 - left, right - (span - 1)))
    padded = np.pad(full, [(0, 0), *[(0, max(r, 0)) for _, r in crops], (0, 0)])
    idx = tuple(slice(a, padded.shape[i + 1] - max(-r, 0)) for i, (a, r) in enumerate(crops))
    out = padded[(slice(None), *idx)]
    if bias is not None:
        for pos in np.ndindex(*out.shape[:-1]):
            out[pos] = c.add_bias(out[pos], bias)
    return out


@pytest.mark.parametrize(
    ("rank", "spatial", "kernel", "strides", "padding", "output_padding"),
    [
        (1, (5,), 3, 2, "same", None),
        (1, (5,), 2, 3, "valid", None),
        (1, (4,), 4, 2, "same", 1),
        (2, (3, 4), (3, 2), (2, 1), "same", None),
        (2, (3, 3), 3, 2, "valid", 1),
    ],
)
def test_conv_transpose(rank, spatial, kernel, strides, padding, output_padding):
    cls = {1: L.Conv1DTranspose, 2: L.Conv2DTranspose}[rank]
    layer = cls(
        3, kernel, strides=strides, padding=padding, output_padding=output_padding, name="t"
    )
    model, x, c = model_of(layer, (*spatial, 2)), floats(2, *spatial, 2), Counter()
    w = weights(layer)
    out = naive_conv_transpose(
        c,
        x,
        w["kernel"],
        w["bias"],
        layer.strides,
        layer.dilation_rate,
        padding,
        layer.output_padding,
    )
    check(model, layer, x, out, c.macs)


# --- recurrent ------------------------------------------------------------------------------


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def naive_rnn(c: Counter, kind, x, w, units, use_bias, reset_after=True, go_backwards=False):
    """SimpleRNN, LSTM (gates i, f, c, o) or GRU (z, r, h), step by step; every h returned."""
    k, rk = w["kernel"], w["recurrent_kernel"]
    bias = w.get("bias")
    n, steps = x.shape[:2]
    hs = np.zeros((n, steps, units))
    for b in range(n):
        h, cell = np.zeros(units), np.zeros(units)
        order = range(steps - 1, -1, -1) if go_backwards else range(steps)
        for i, t in enumerate(order):
            xk = c.matvec(x[b, t], k)
            if kind == "GRU":
                if use_bias:
                    b_in = bias[0] if reset_after else bias
                    xk = c.add_bias(xk, b_in)
                u = units
                if reset_after:
                    hk = c.matvec(h, rk)
                    if use_bias:
                        hk = c.add_bias(hk, bias[1])
                    z, r = sigmoid(xk[:u] + hk[:u]), sigmoid(xk[u : 2 * u] + hk[u : 2 * u])
                    cand = np.tanh(xk[2 * u :] + r * hk[2 * u :])
                else:
                    hk = c.matvec(h, rk[:, : 2 * u])
                    z, r = sigmoid(xk[:u] + hk[:u]), sigmoid(xk[u : 2 * u] + hk[u:])
                    cand = np.tanh(xk[2 * u :] + c.matvec(r * h, rk[:, 2 * u :]))
                h = z * h + (1 - z) * cand
            else:
                pre = xk + c.matvec(h, rk)
                if use_bias:
                    pre = c.add_bias(pre, bias)
                if kind == "SimpleRNN":
                    h = np.tanh(pre)
                else:
                    i_, f_, g_, o_ = np.split(pre, 4)
                    cell = sigmoid(f_) * cell + sigmoid(i_) * np.tanh(g_)
                    h = sigmoid(o_) * np.tanh(cell)
            hs[b, i] = h
    return hs


RECURRENT = {"SimpleRNN": L.SimpleRNN, "LSTM": L.LSTM, "GRU": L.GRU}


def recurrent_case(kind, steps, features, units, use_bias, reset_after):
    extra = {"reset_after": reset_after} if kind == "GRU" else {}
    layer = RECURRENT[kind](units, use_bias=use_bias, return_sequences=True, name="rnn", **extra)
    model, x, c = model_of(layer, (steps, features)), floats(2, steps, features), Counter()
    out = naive_rnn(c, kind, x, weights(layer), units, use_bias, reset_after)
    check(model, layer, x, out, c.macs)


@pytest.mark.parametrize(
    "case",
    [
        ("SimpleRNN", 5, 3, 4, True, True),
        ("LSTM", 4, 3, 2, True, True),
        ("LSTM", 3, 2, 3, False, True),
        ("GRU", 4, 3, 2, True, True),
        ("GRU", 4, 3, 2, True, False),
        ("GRU", 3, 2, 2, False, False),
    ],
)
def test_recurrent_grid(case):
    recurrent_case(*case)


@given(
    st.sampled_from(sorted(RECURRENT)),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 3),
    st.booleans(),
    st.booleans(),
)
def test_recurrent_hypothesis(kind, steps, features, units, use_bias, reset_after):
    recurrent_case(kind, steps, features, units, use_bias, reset_after)


def test_bidirectional_sums_both_directions():
    layer = L.Bidirectional(L.LSTM(3), name="bi")
    model, x, c = model_of(layer, (4, 2)), floats(2, 4, 2), Counter()
    forward = naive_rnn(c, "LSTM", x, weights(layer.forward_layer), 3, True)
    backward = naive_rnn(c, "LSTM", x, weights(layer.backward_layer), 3, True, go_backwards=True)
    check(model, layer, x, np.concatenate([forward[:, -1], backward[:, -1]], axis=-1), c.macs)


def test_time_distributed_runs_its_layer_at_every_step():
    layer = L.TimeDistributed(L.Dense(3), name="td")
    model, x, c = model_of(layer, (4, 5)), floats(2, 4, 5), Counter()
    check(model, layer, x, naive_dense(c, x, weights(layer.layer), True), c.macs)


# --- attention, embedding -------------------------------------------------------------------


def naive_attention(c: Counter, q_in, v_in, k_in, w, heads, key_dim, value_dim, gate):
    """Per sample: the projections position by position, then per head and query position a
    dot with every key (the scores) and a weighted sum of the values; softmax not counted."""

    def project(x, name):
        kern, bias = w[f"{name}/kernel"], w.get(f"{name}/bias")
        flat = kern.reshape(kern.shape[0], -1)
        out = np.array([c.matvec(v, flat) for v in x])
        if bias is not None:
            out = np.array([c.add_bias(o, bias.reshape(-1)) for o in out])
        return out.reshape(len(x), *kern.shape[1:])

    out = []
    for qs, vs, ks in zip(q_in, v_in, k_in, strict=True):
        q, k, v = project(qs, "query"), project(ks, "key"), project(vs, "value")
        mixed = np.zeros((len(qs), heads, value_dim))
        for h, i in itertools.product(range(heads), range(len(qs))):
            scores = np.array([c.dot(q[i, h], k[j, h]) for j in range(len(ks))])
            scores = np.exp(scores / math.sqrt(key_dim) - np.max(scores / math.sqrt(key_dim)))
            attn = scores / scores.sum()
            mixed[i, h] = [c.dot(attn, v[:, h, d]) for d in range(value_dim)]
        if gate:
            mixed = mixed * sigmoid(project(qs, "gate"))
        o_kernel, o_bias = w["attention_output/kernel"], w.get("attention_output/bias")
        flat = o_kernel.reshape(heads * value_dim, -1)
        rows = [c.matvec(m.reshape(-1), flat) for m in mixed]
        if o_bias is not None:
            rows = [c.add_bias(r, o_bias.reshape(-1)) for r in rows]
        out.append(np.array(rows).reshape(len(qs), *o_kernel.shape[2:]))
    return np.array(out)


@pytest.mark.parametrize(
    ("tq", "tk", "dq", "dv", "dk", "heads", "key_dim", "value_dim", "output_shape", "extra"),
    [
        (5, 5, 8, 8, 8, 2, 4, None, None, {}),
        (3, 6, 4, 5, 6, 3, 2, 3, 7, {"use_bias": False}),
        (4, 3, 6, 6, 6, 2, 3, 2, None, {"use_gate": True}),
    ],
)
def test_multi_head_attention(tq, tk, dq, dv, dk, heads, key_dim, value_dim, output_shape, extra):
    layer = L.MultiHeadAttention(
        heads, key_dim, value_dim=value_dim, output_shape=output_shape, name="mha", **extra
    )
    q_in, v_in, k_in = keras.Input((tq, dq)), keras.Input((tk, dv)), keras.Input((tk, dk))
    model = keras.Model([q_in, v_in, k_in], layer(q_in, v_in, key=k_in))
    q, v, k, c = floats(2, tq, dq), floats(2, tk, dv), floats(2, tk, dk), Counter()
    vd = value_dim or key_dim
    out = naive_attention(c, q, v, k, weights(layer), heads, key_dim, vd, extra.get("use_gate"))
    got = np.asarray(layer(q, v, key=k))
    np.testing.assert_allclose(out, got, rtol=1e-4, atol=1e-4)
    cost = row_cost(model, "mha", 2)
    assert cost.macs == c.macs
    assert (cost.activations, cost.activation_bytes) == (got.size, got.nbytes)


def test_attention_axes_leave_the_other_axes_as_batch():
    layer = L.MultiHeadAttention(2, 3, attention_axes=(2,), name="mha")
    x_in = keras.Input((3, 4, 5))
    model = keras.Model(x_in, layer(x_in, x_in))
    x, c = floats(2, 3, 4, 5), Counter()
    flat = x.reshape(6, 4, 5)  # axis 1 is a batch axis: attention runs along axis 2 only
    out = naive_attention(c, flat, flat, flat, weights(layer), 2, 3, 3, False)
    np.testing.assert_allclose(out.reshape(x.shape), np.asarray(layer(x, x)), atol=1e-4)
    assert row_cost(model, "mha", 2).macs == c.macs


def test_embedding_is_a_lookup():
    layer = L.Embedding(20, 4, name="embed")
    model = model_of(layer, (6,), dtype="int32")
    tokens = RNG.integers(0, 20, size=(3, 6)).astype("int32")
    expected = weights(layer)["embeddings"][tokens]  # rows read, nothing multiplied
    check(model, layer, tokens, expected, 0)
    assert "lookup" in row_cost(model, "embed", 3).how


def test_core_refuses_what_it_cannot_size():
    assert C.batched((None, 5, 3), 8) == (8, 5, 3)
    with pytest.raises(ValueError, match=r"an axis besides the batch has no fixed size"):
        C.batched((None, None, 3), 8)
    assert (C.dtype_bytes("bfloat16"), C.dtype_bytes("bool"), C.dtype_bytes("int64")) == (2, 1, 8)
    with pytest.raises(ValueError, match=r"Received: dtype='string'"):
        C.dtype_bytes("string")
    macs = C.conv(1, (32, 45, 45), filters=32, kernel_size=5)
    assert macs.formula == "(kernel 7,200 + bias 32) * 1,312 positions (32 * 41) = 9,488,384"


# --- activations from running the model, totals ---------------------------------------------


def measured(model, x):
    """Every layer's output for the batch, by running the model up to it."""
    probe = keras.Model(model.inputs, [layer.output for layer in model.layers])
    outs = probe([x])
    return {layer.name: np.asarray(o) for layer, o in zip(model.layers, outs, strict=True)}


@pytest.mark.parametrize("name", ["cs231n_conv2d", "lstm_stack", "attention_model", "masking"])
def test_activations_are_the_outputs_of_a_run(name):
    model, n = models.ALL[name](), 3
    shape = model.inputs[0].shape[1:]
    if model.inputs[0].dtype.startswith("int"):
        x = RNG.integers(1, 50, size=(n, *shape)).astype("int32")
    else:
        x = floats(n, *shape)
    report = paramlab.explain(model, batch_size=n)
    outputs = measured(model, x)
    for row in report.rows:
        out = outputs[row.name]
        assert (row.cost.activations, row.cost.activation_bytes) == (out.size, out.nbytes)
    assert report.activations == sum(o.size for o in outputs.values())
    assert report.activation_bytes == sum(o.nbytes for o in outputs.values())
    assert report.macs == sum(r.cost.macs for r in report.rows if r.cost.macs is not None)


def test_activation_bytes_follow_the_output_dtype_under_mixed_precision():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((6,)), L.Dense(4, name="d"), L.Dense(2, name="e")])
        x = floats(5, 6)
        outputs = measured(model, x)
    finally:
        keras.config.set_dtype_policy("float32")
    report = paramlab.explain(model, batch_size=5)
    for row in report.rows:
        assert outputs[row.name].dtype == np.float16
        assert row.cost.activation_bytes == outputs[row.name].nbytes == 2 * row.cost.activations


def test_shared_and_nested_layers_count_every_call():
    report = paramlab.explain(models.shared_layer(), batch_size=4)
    shared = report.row("shared_dense").cost
    assert (shared.activations, shared.macs) == (2 * 4 * 4, 2 * 4 * (8 * 4 + 4))
    siamese = models.nested()
    encoder = siamese.get_layer("encoder")
    left, right = floats(4, 10), floats(4, 10)
    dense = encoder.get_layer("enc_dense")
    runs = [np.asarray(keras.Model(encoder.inputs, dense.output)([x])) for x in (left, right)]
    cost = paramlab.explain(siamese, batch_size=4).row("encoder/enc_dense").cost
    assert cost.activations == sum(r.size for r in runs)
    assert cost.macs == 2 * 4 * (10 * 6 + 6)
    assert "2 calls * 4" in cost.how


def test_a_layer_alone_counts_one_call_at_its_built_shape():
    layer = L.Dense(3, name="alone")
    layer.build((None, 4))
    cost = paramlab.explain(layer, batch_size=5).row("alone").cost
    assert (cost.activations, cost.activation_bytes, cost.macs) == (15, 60, 5 * (12 + 3))


def test_unknown_shapes_and_uncounted_layers_say_why():
    report = paramlab.explain(models.custom_layers(), batch_size=2)
    inner = report.row("block/inner").cost
    assert inner.activations is None and inner.macs is None
    assert "Keras recorded no call of this layer" in inner.how
    assert "no multiply-add formula for Scale" in report.row("scale").cost.how
    variable = keras.Sequential([keras.Input((None, 3)), L.LSTM(2, name="lstm")])
    cost = paramlab.explain(variable, batch_size=2).row("lstm").cost
    assert cost.macs is None and "no fixed size" in cost.how
    text = str(report)
    assert "Mult-Adds" in text and "—" in text and "not counted (—)" in text


def vgg_like() -> keras.Model:
    """The cs231n VGG lesson in small: a conv stack, then a Dense head."""
    return keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            L.Conv2D(16, 3, padding="same", activation="relu", name="conv1"),
            L.Conv2D(16, 3, padding="same", activation="relu", name="conv2"),
            L.MaxPooling2D(name="pool1"),
            L.Conv2D(32, 3, padding="same", activation="relu", name="conv3"),
            L.MaxPooling2D(name="pool2"),
            L.Flatten(name="flatten"),
            L.Dense(128, activation="relu", name="fc1"),
            L.Dense(10, name="fc2"),
        ],
        name="vgg_like",
    )


def test_vgg_lesson_weights_in_dense_compute_in_convolutions():
    report = paramlab.explain(vgg_like(), batch_size=16)
    convs = [r for r in report.rows if r.class_name == "Conv2D"]
    dense = [r for r in report.rows if r.class_name == "Dense"]
    assert sum(r.total for r in dense) > 0.9 * report.total
    assert sum(r.cost.macs for r in convs) > 0.8 * report.macs
    assert report.macs == sum(r.cost.macs for r in convs + dense)


def small_cnn() -> keras.Model:
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            L.Conv2D(8, 3, activation="relu", name="conv1"),
            L.MaxPooling2D(name="pool"),
            L.Conv2D(16, 3, strides=2, padding="same", name="conv2"),
            L.Flatten(name="flatten"),
            L.Dense(10, name="out"),
        ],
        name="small_cnn",
    )


def test_golden_text_with_costs(request):
    text = str(paramlab.explain(small_cnn(), batch_size=32)) + "\n"
    path = GOLDEN / "costs_small_cnn.txt"
    if request.config.getoption("--regen-golden"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --regen-golden once, on purpose"
    assert text == path.read_text(encoding="utf-8")


def test_without_batch_size_nothing_changes():
    model = small_cnn()
    plain, costed = paramlab.explain(model), paramlab.explain(model, batch_size=2)
    assert plain.batch_size is None and plain.macs is None and plain.activations is None
    assert all(r.cost is None for r in plain.rows)
    assert "Mult-Adds" not in str(plain) and "Mult-Adds" not in plain._repr_html_()
    assert "<th style='text-align:right'>Mult-Adds</th>" in costed._repr_html_()
    assert [r.total for r in plain.rows] == [r.total for r in costed.rows]


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "Expected a strictly positive integer. Received: batch_size=0"),
        (-8, ValueError, "Expected a strictly positive integer. Received: batch_size=-8"),
        (True, TypeError, r"must be an integer. Received: batch_size=True \(of type bool\)"),
        (2.0, TypeError, r"must be an integer. Received: batch_size=2.0 \(of type float\)"),
    ],
)
def test_batch_size_errors(value, error, message):
    with pytest.raises(error, match=r"argument `batch_size`.*" + message):
        paramlab.explain(small_cnn(), batch_size=value)


# --- torchinfo, where installed -------------------------------------------------------------


def test_torchinfo_mult_adds_agree():
    """The same architectures in PyTorch: torchinfo's Mult-Adds equal ours for Conv2d, Linear on
    a 2-D input and GRU (the same parameters as Keras' reset_after=True); where the convention
    differs it differs as core/costs.py says (Linear on 3-D input, Embedding, LSTM's second
    bias, a transposed convolution)."""
    torch = pytest.importorskip("torch")
    torchinfo = pytest.importorskip("torchinfo")
    nn, n = torch.nn, 4

    def macs(module, *size, **kwargs):
        stats = torchinfo.summary(module, input_size=size, verbose=0, **kwargs)
        return [info.macs for info in stats.summary_list if info.is_leaf_layer]

    torch_cnn = nn.Sequential(
        nn.Conv2d(1, 8, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=2, padding=1),
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 10),
    )
    ours = paramlab.explain(small_cnn(), batch_size=n)
    counted = [r.cost.macs for r in ours.rows if r.cost.macs]
    assert [m for m in macs(torch_cnn, n, 1, 28, 28) if m] == counted

    gru = keras.Sequential([keras.Input((6, 5)), L.GRU(7, name="gru")])
    gru_macs = paramlab.explain(gru, batch_size=n).row("gru").cost.macs
    assert macs(nn.GRU(5, 7, batch_first=True), n, 6, 5) == [gru_macs]
    lstm = keras.Sequential([keras.Input((6, 5)), L.LSTM(7, name="lstm")])
    lstm_macs = paramlab.explain(lstm, batch_size=n).row("lstm").cost.macs
    assert macs(nn.LSTM(5, 7, batch_first=True), n, 6, 5) == [lstm_macs + n * 6 * 4 * 7]

    dense = keras.Sequential([keras.Input((6, 5)), L.Dense(3, name="d")])
    assert macs(nn.Linear(5, 3), n, 6, 5) == [paramlab.explain(dense, batch_size=n).macs // 6]
    embed = keras.Sequential([keras.Input((6,), dtype="int32"), L.Embedding(50, 4, name="e")])
    assert paramlab.explain(embed, batch_size=n).macs == 0
    assert macs(nn.Embedding(50, 4), n, 6, dtypes=[torch.long]) == [n * 50 * 4]
    t = keras.Sequential([keras.Input((5, 5, 2)), L.Conv2DTranspose(3, 3, strides=2, name="t")])
    ours_t = paramlab.explain(t, batch_size=n).row("t").cost.breakdown
    theirs = macs(nn.ConvTranspose2d(2, 3, 3, stride=2), n, 2, 5, 5)
    assert theirs == [(3 * 3 * 2 * 3 + 3) * n * 11 * 11]
    assert ours_t.parts[0].times == n * 5 * 5 and ours_t.parts[1].times == n * 11 * 11
