"""compare(a, b): held-out model pairs against Keras (every changed term named, totals and
(non-)trainable deltas equal Keras' own differences), shared layers, nested models, frozen
layers, a class swap, added and removed layers, BatchNorm, hypothesis over random small
Dense/Conv stacks, the text and HTML views, the errors; and compare(model,
framework="pytorch") against real torch modules (skipped without torch, failed under CI=true).
"""

from __future__ import annotations

import math

import keras
import pytest
from _require import require
from fixtures import models
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import layers as L

from paramlab.bridge._compare import compare
from paramlab.bridge.comparison import Comparison, MatchedBy, RowChange, Status, TermChange


def keras_totals(model) -> tuple[int, int, int]:
    return (
        model.count_params(),
        sum(math.prod(w.shape) for w in model.trainable_weights),
        sum(math.prod(w.shape) for w in model.non_trainable_weights),
    )


def assert_deltas_are_keras(c: Comparison, a, b) -> None:
    """The totals' deltas are Keras' differences, and the rows add up to them."""
    ka, kb = keras_totals(a), keras_totals(b)
    want = tuple(y - x for x, y in zip(ka, kb, strict=True))
    assert (c.delta, c.trainable_delta, c.non_trainable_delta) == want
    assert (c.a.total, c.a.trainable, c.a.non_trainable) == ka
    assert (c.b.total, c.b.trainable, c.b.non_trainable) == kb
    assert sum(r.delta for r in c.rows) == c.delta
    assert sum(r.trainable_delta for r in c.rows) == c.trainable_delta
    assert sum(r.non_trainable_delta for r in c.rows) == c.non_trainable_delta


def assert_terms_add_up(c: Comparison) -> None:
    """Without shared weights, each row's change is the sum of its named term changes."""
    for r in c.rows:
        assert sum(t.delta for t in r.terms) == r.delta, r.label
        assert sum(t.trainable_delta for t in r.terms) == r.trainable_delta, r.label


def changes(r: RowChange) -> list[str]:
    return [str(t) for t in r.terms]


def mlp(hidden: int, name: str) -> keras.Model:
    return keras.Sequential(
        [keras.Input((20,)), L.Dense(hidden, name="hidden"), L.Dense(3, name="out")], name=name
    )


# --- Held-out pairs ----------------------------------------------------------------------------


def test_dense_width_change():
    a, b = mlp(16, "narrow"), mlp(40, "wide")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    hidden, out = c.row("hidden"), c.row("out")
    assert (hidden.status, hidden.matched_by) == (Status.CHANGED, MatchedBy.NAME)
    assert changes(hidden) == [
        "Dense kernel (20, 16) -> (20, 40): units 16 -> 40, +480",
        "Dense bias (16,) -> (40,): units 16 -> 40, +24",
    ]
    assert changes(out) == ["Dense kernel (16, 3) -> (40, 3): input_dim 16 -> 40, +72"]
    assert hidden.delta == 504 and out.delta == 72 and c.delta == 576


def conv_net(first: int, name: str) -> keras.Model:
    return keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            L.Conv2D(first, 5, name="c1"),
            L.Conv2D(16, 3, name="c2"),
            L.Flatten(name="flat"),
        ],
        name=name,
    )


def test_conv2d_channels_change():
    a, b = conv_net(8, "a"), conv_net(24, "b")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    assert changes(c.row("c2")) == [
        "Conv2D kernel (3, 3, 8, 16) -> (3, 3, 24, 16): channels 8 -> 24, +2,304"
    ]
    assert changes(c.row("c1")) == [
        "Conv2D kernel (5, 5, 3, 8) -> (5, 5, 3, 24): filters 8 -> 24, +1,200",
        "Conv2D bias (8,) -> (24,): filters 8 -> 24, +16",
    ]
    assert c.row("flat").status is Status.UNCHANGED
    term = c.row("c2").terms[0]
    assert term.how == ("channels 8 -> 24: kh * kw * channels * filters = 3 * 3 * 24 * 16 = 3,456")


def test_lstm_to_gru_swap_is_a_class_change_matched_by_position():
    # Keras' own names (lstm_N, gru_N): nothing matches by name, so the rows align by position.
    a = keras.Sequential([keras.Input((30, 5)), L.LSTM(12), L.Dense(2)])
    b = keras.Sequential([keras.Input((30, 5)), L.GRU(12), L.Dense(2)])
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    swap, head = c.rows
    assert swap.class_changed and swap.matched_by is MatchedBy.POSITION
    assert swap.a.class_name == "LSTM" and swap.b.class_name == "GRU"
    assert "class LSTM -> GRU" in swap.headline()
    assert changes(swap) == [
        "LSTM -> GRU kernel (5, 48) -> (5, 36): 4 -> 3, -60",
        "LSTM -> GRU recurrent_kernel (12, 48) -> (12, 36): 4 -> 3, -144",
        "LSTM -> GRU bias (48,) -> (2, 36): 4 * units -> 2 * 3 * units, +24",
    ]
    assert head.status is Status.UNCHANGED and head.matched_by is MatchedBy.POSITION


def test_added_and_removed_layers():
    def net(extra: bool, name: str) -> keras.Model:
        middle = [L.Dropout(0.2, name="drop"), L.Dense(6, name="extra")] if extra else []
        return keras.Sequential(
            [keras.Input((5,)), L.Dense(8, name="d1"), *middle, L.Dense(4, name="d2")], name=name
        )

    a, b = net(False, "small"), net(True, "big")
    grown = compare(a, b)
    assert_deltas_are_keras(grown, a, b)
    assert_terms_add_up(grown)
    assert [(r.name, r.status) for r in grown.rows] == [
        ("d1", Status.UNCHANGED),
        ("drop", Status.ONLY_B),
        ("extra", Status.ONLY_B),
        ("d2", Status.CHANGED),
    ]
    assert changes(grown.row("extra")) == [
        "Dense (none) -> kernel (8, 6): only in b: input_dim * units = 8 * 6 = 48, +48",
        "Dense (none) -> bias (6,): only in b: units = 6, +6",
    ]
    assert changes(grown.row("d2")) == ["Dense kernel (8, 4) -> (6, 4): input_dim 8 -> 6, -8"]

    shrunk = compare(b, a)
    assert_deltas_are_keras(shrunk, b, a)
    assert [r.status for r in shrunk.rows].count(Status.ONLY_A) == 2
    assert shrunk.row("extra").delta == -54
    assert shrunk.row("extra").headline() == "only in a: removed"


def test_frozen_layer_moves_its_count_to_non_trainable():
    a = mlp(10, "trained")
    b = mlp(10, "frozen")
    b.get_layer("hidden").trainable = False
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    row = c.row("hidden")
    assert row.status is Status.CHANGED and row.delta == 0
    assert (row.trainable_delta, row.non_trainable_delta) == (-210, 210)
    assert changes(row) == [
        "Dense kernel (20, 10) -> (20, 10): trainable -> non-trainable, +0",
        "Dense bias (10,) -> (10,): trainable -> non-trainable, +0",
    ]
    assert [(t.trainable_delta, t.non_trainable_delta) for t in row.terms] == [
        (-200, 200),
        (-10, 10),
    ]
    assert c.row("out").status is Status.UNCHANGED


def test_shared_layer_counts_once_against_two_separate_layers():
    def siamese(shared: bool, name: str) -> keras.Model:
        left, right = keras.Input((6,), name="left"), keras.Input((6,), name="right")
        first = L.Dense(5, name="tower")
        second = first if shared else L.Dense(5, name="tower_right")
        merged = L.Add(name="add")([first(left), second(right)])
        return keras.Model([left, right], L.Dense(1, name="score")(merged), name=name)

    a, b = siamese(True, "tied"), siamese(False, "untied")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    assert c.delta == 35  # the second tower's 6 * 5 + 5, once
    assert [r.name for r in c.rows if r.a is not None].count("tower") == 1
    assert c.row("tower").status is Status.UNCHANGED
    added = c.row("tower_right")
    assert added.status is Status.ONLY_B and added.delta == 35


def test_a_weight_shared_between_two_rows_counts_in_the_first():
    # The Dense also wrapped in TimeDistributed: explain counts its weights in the first row
    # and notes them on the second; compare reads that note (pinned here against explain).
    def net(share: bool, name: str) -> keras.Model:
        v, s = keras.Input((4,), name="v"), keras.Input((3, 4), name="s")
        dense = L.Dense(5, name="d")
        td = L.TimeDistributed(dense if share else L.Dense(5, name="d2"), name="td")
        return keras.Model([v, s], [dense(v), td(s)], name=name)

    a, b = net(False, "own"), net(True, "shared")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    assert changes(c.row("td")) == [
        "TimeDistributed kernel (4, 5) -> (4, 5): now counted in an earlier row, -20",
        "TimeDistributed bias (5,) -> (5,): now counted in an earlier row, -5",
    ]
    assert c.row("d").status is Status.UNCHANGED


def test_nested_rows_match_by_path():
    def outer(width: int, inner_name: str, name: str) -> keras.Model:
        block = keras.Sequential(
            [keras.Input((9,)), L.Dense(width, name="proj"), L.BatchNormalization(name="bn")],
            name=inner_name,
        )
        x = keras.Input((9,), name="x")
        return keras.Model(x, L.Dense(2, name="head")(block(x)), name=name)

    a, b = outer(4, "block", "a"), outer(7, "block", "b")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    proj, bn = c.row("block/proj"), c.row("block/bn")
    assert proj.matched_by is MatchedBy.NAME and bn.matched_by is MatchedBy.NAME
    assert changes(proj) == [
        "Dense kernel (9, 4) -> (9, 7): units 4 -> 7, +27",
        "Dense bias (4,) -> (7,): units 4 -> 7, +3",
    ]
    assert changes(c.row("head")) == ["Dense kernel (4, 2) -> (7, 2): input_dim 4 -> 7, +6"]
    # BatchNorm: every term follows the features, two of them non-trainable.
    assert changes(bn) == [
        "BatchNormalization gamma (4,) -> (7,): features 4 -> 7, +3",
        "BatchNormalization beta (4,) -> (7,): features 4 -> 7, +3",
        "BatchNormalization moving_mean (4,) -> (7,): features 4 -> 7, +3",
        "BatchNormalization moving_variance (4,) -> (7,): features 4 -> 7, +3",
    ]
    assert (bn.trainable_delta, bn.non_trainable_delta) == (6, 6)

    renamed = outer(7, "encoder", "c")  # another path: the nested rows align by position
    d = compare(a, renamed)
    assert_deltas_are_keras(d, a, renamed)
    assert d.row("encoder/proj").matched_by is MatchedBy.POSITION
    assert d.row("encoder/proj").a.name == "block/proj"


def test_layers_that_moved_still_match_by_name():
    def branches(order: tuple[str, str], name: str) -> keras.Model:
        x = keras.Input((4,), name="x")
        made = {n: L.Dense(w, name=n) for n, w in zip(order, (3, 5), strict=True)}
        return keras.Model(x, L.Concatenate(name="cat")([made["p"](x), made["q"](x)]), name=name)

    a, b = branches(("p", "q"), "a"), branches(("q", "p"), "b")
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert c.row("p").matched_by is MatchedBy.NAME and c.row("q").matched_by is MatchedBy.NAME
    assert [r.name for r in c.rows] == ["x", "p", "q", "cat"]  # a's order
    assert changes(c.row("p")) == [
        "Dense kernel (4, 3) -> (4, 5): units 3 -> 5, +8",
        "Dense bias (3,) -> (5,): units 3 -> 5, +2",
    ]


def test_tied_weights_and_custom_layers_follow_keras():
    pairs = [
        (models.tied_weights(), models.masking()),
        (models.custom_layers(), models.attention_model()),
        (models.frozen(), models.nested()),
    ]
    for a, b in pairs:
        c = compare(a, b)
        assert_deltas_are_keras(c, a, b)
        assert c.term_changes, (a.name, b.name)


def test_two_layers():
    a, b = L.Conv2D(4, 3), L.Conv2D(4, (3, 5))
    a.build((None, 8, 8, 2))
    b.build((None, 8, 8, 2))
    c = compare(a, b)
    (row,) = c.rows
    assert row.matched_by is MatchedBy.POSITION
    assert changes(row) == ["Conv2D kernel (3, 3, 2, 4) -> (3, 5, 2, 4): kw 3 -> 5, +48"]
    assert c.delta == b.count_params() - a.count_params() == 48


def test_same_model_is_all_unchanged():
    model = models.lstm_stack()
    c = compare(model, model)
    assert c.changed == () and c.term_changes == () and c.delta == 0


# --- Random stacks -----------------------------------------------------------------------------

layer_spec = st.tuples(st.sampled_from(["dense", "conv", "bn", "drop"]), st.integers(1, 6))


def stack(specs: list[tuple[str, int]], frozen: int) -> keras.Model:
    made = []
    for kind, n in specs:
        if kind == "dense":
            made.append(L.Dense(n))
        elif kind == "conv":
            made.append(L.Conv2D(n, min(n, 3), padding="same"))
        elif kind == "bn":
            made.append(L.BatchNormalization())
        else:
            made.append(L.Dropout(0.1))
    model = keras.Sequential([keras.Input((5, 5, 2)), *made])
    if made:
        made[frozen % len(made)].trainable = False
    return model


@settings(max_examples=15)
@given(
    st.lists(layer_spec, min_size=1, max_size=4),
    st.lists(layer_spec, min_size=1, max_size=4),
    st.integers(0, 3),
    st.integers(0, 3),
)
def test_random_stacks_add_up_to_keras(specs_a, specs_b, frozen_a, frozen_b):
    a, b = stack(specs_a, frozen_a), stack(specs_b, frozen_b)
    c = compare(a, b)
    assert_deltas_are_keras(c, a, b)
    assert_terms_add_up(c)
    for r in c.rows:
        if r.a is not None and r.b is not None:
            assert (r.status is Status.UNCHANGED) == (not r.terms and not r.class_changed)
        else:
            assert r.status is (Status.ONLY_B if r.a is None else Status.ONLY_A)
        assert all(t.why for t in r.terms)


# --- Views and errors --------------------------------------------------------------------------


def test_text_html_and_mimebundle():
    c = compare(conv_net(8, "a<1>"), conv_net(24, "b"))
    text = str(c)
    assert text.splitlines()[0].startswith('Compare: "a<1>" (a) -> "b" (b)')
    assert "c2 (Conv2D)" in text and "matched by name: changed" in text
    assert "  kernel (3, 3, 8, 16) -> (3, 3, 24, 16)" in text
    assert "Total params: 1,776 -> 5,296 (+3,520)" in text
    assert "Rows: 1 unchanged, 2 changed" in text
    page = c._repr_html_()
    assert "a&lt;1&gt;" in page and "<table" in page and "channels 8 -&gt; 24" in page
    bundle = c._repr_mimebundle_()
    assert bundle == {"text/plain": text, "text/html": page}
    assert isinstance(c.row("c2").terms[0], TermChange)
    with pytest.raises(KeyError, match="no row named 'nope'"):
        c.row("nope")


def test_errors_in_keras_voice():
    model = mlp(4, "m")
    with pytest.raises(
        TypeError,
        match=r"`compare\(\)` expects Keras models or layers\. "
        r"Received: b=3 \(of type int\)",
    ):
        compare(model, 3)
    with pytest.raises(TypeError, match=r"Received: a='model' \(of type str\)"):
        compare("model", model)
    with pytest.raises(
        TypeError,
        match=r"needs a second Keras model or layer `b`, or "
        r"`framework='pytorch'`.*Received: b=None",
    ):
        compare(model)
    with pytest.raises(
        ValueError, match=r"Expected one of \{'pytorch'\}\. Received: framework='jax'"
    ):
        compare(model, framework="jax")
    with pytest.raises(
        ValueError, match=r"not both\. Received: b=<Sequential.*framework='pytorch'"
    ):
        compare(model, model, framework="pytorch")
    unbuilt = keras.Sequential([L.Dense(3)], name="unbuilt")
    with pytest.raises(ValueError, match=r"has not been built yet.*Received: model=unbuilt"):
        compare(model, unbuilt)


# --- Keras against its PyTorch port (real torch) -----------------------------------------------

try:
    import torch
    from torch import nn
except ImportError as exc:
    MISSING = f"torch is not installed ({exc}); install it with: pip install torch==2.13.0"
else:
    MISSING = ""


@pytest.fixture
def torch_nn():
    require(MISSING, "the PyTorch comparison")
    torch.manual_seed(0)
    return nn


def assert_port(c: Comparison, modules: dict) -> None:
    """Each ported row holds exactly what the real torch module holds, and the totals are
    torch's `parameters()` count of the modules."""
    for name, module in modules.items():
        row = c.row(name).b
        params = {n: tuple(p.shape) for n, p in module.named_parameters()}
        buffers = {n: tuple(b.shape) for n, b in module.named_buffers()}
        assert {t.path: t.shape for t in row.terms} == params | buffers, name
        assert row.total == sum(p.numel() for p in module.parameters()), name
    ported = sum(sum(p.numel() for p in m.parameters()) for m in modules.values())
    assert c.b.total == ported
    assert sum(r.delta for r in c.rows) == c.delta


def test_lstm_and_batchnorm_against_torch(torch_nn):
    model = keras.Sequential(
        [
            keras.Input((20, 7)),
            L.LSTM(9, return_sequences=True, name="lstm"),
            L.BatchNormalization(name="bn"),
            L.GRU(5, name="gru"),
            L.Dense(3, name="out"),
        ],
        name="seq",
    )
    c = compare(model, framework="pytorch")
    modules = {
        "lstm": torch_nn.LSTM(7, 9),
        "bn": torch_nn.BatchNorm1d(9),
        "gru": torch_nn.GRU(9, 5),
        "out": torch_nn.Linear(5, 3),
    }
    assert_port(c, modules)
    assert (c.a.total, c.a.trainable, c.a.non_trainable) == keras_totals(model)
    lstm = c.row("lstm")
    assert lstm.delta == 36 and lstm.why.startswith("bias_hh_l0, the second bias: 4 * hidden_size")
    assert changes(lstm) == [
        "LSTM -> nn.LSTM kernel (7, 36) -> weight_ih_l0 (36, 7): same numbers, transposed, +0",
        "LSTM -> nn.LSTM recurrent_kernel (9, 36) -> weight_hh_l0 (36, 9): same numbers, "
        "transposed, +0",
        "LSTM -> nn.LSTM bias (36,) -> bias_ih_l0 (36,): renamed: torch's first bias, +0",
        "LSTM -> nn.LSTM (none) -> bias_hh_l0 (36,): " + paramlab_second_bias() + ", +36",
    ]
    for t in lstm.terms[:2]:  # the transposes are torch's shapes
        assert t.b.shape == tuple(dict(modules["lstm"].named_parameters())[t.b.path].shape)
        assert t.b.shape == t.a.shape[::-1]
    bn = c.row("bn")
    assert (bn.delta, bn.trainable_delta, bn.non_trainable_delta) == (-18, 0, -18)
    running = [t for t in bn.terms if t.b is not None and t.b.path.startswith("running")]
    assert [(t.a.path, t.b.path, t.delta) for t in running] == [
        ("moving_mean", "running_mean", -9),
        ("moving_variance", "running_var", -9),
    ]
    assert any(t.b.path == "num_batches_tracked" and t.delta == 0 for t in bn.terms)
    # GRU (reset_after=True, Keras' default): the same count, Keras' (2, 15) bias split in two.
    gru = c.row("gru")
    assert gru.delta == 0 and gru.status is Status.UNCHANGED
    assert [(t.label, t.delta) for t in gru.terms if "bias" in t.label] == [
        ("bias (2, 15) -> bias_ih_l0 (15,)", -15),
        ("(none) -> bias_hh_l0 (15,)", 15),
    ]
    state = sum(
        v.numel()
        for m in modules.values()
        for k, v in m.state_dict().items()
        if k.split(".")[-1] in ("running_mean", "running_var", "num_batches_tracked")
    )
    assert f"Buffers in torch, not parameters: {state} numbers" in str(c)


def paramlab_second_bias() -> str:
    from paramlab.core import pytorch as P

    return P.SECOND_BIAS


def test_conv_bidirectional_frozen_and_uncovered_against_torch(torch_nn):
    tokens = keras.Input((11,), dtype="int32", name="tokens")
    x = L.Embedding(30, 6, name="embed")(tokens)
    x = L.Bidirectional(L.GRU(4, reset_after=False), name="bi")(x)
    x = L.Reshape((2, 2, 2), name="grid")(x)
    x = L.Conv2D(6, 2, groups=2, use_bias=False, name="conv")(x)
    x = L.BatchNormalization(name="bn")(x)
    rnn_in = L.Reshape((1, 6), name="seq")(x)
    out = L.SimpleRNN(3, name="rnn")(rnn_in)
    model = keras.Model(tokens, out, name="mixed")
    model.get_layer("conv").trainable = False
    c = compare(model, framework="pytorch")
    modules = {
        "bi": torch_nn.GRU(6, 4, bidirectional=True),
        "conv": torch_nn.Conv2d(2, 6, 2, groups=2, bias=False),
        "bn": torch_nn.BatchNorm2d(6),
        "rnn": torch_nn.RNN(6, 3),
    }
    assert_port(c, modules)
    assert (c.a.total, c.a.trainable, c.a.non_trainable) == keras_totals(model)
    embed = c.row("embed")
    assert embed.status is Status.NO_COUNTERPART and embed.delta == -180
    assert "paramlab.pytorch has no module for Embedding" in embed.why
    assert "No port counted for: embed (Embedding, 180)" in str(c)
    bi = c.row("bi")
    assert bi.delta == 2 * 12  # reset_after=False: one bias in Keras, two in torch, both ways
    assert [t.b.path for t in bi.terms if t.a is None] == ["bias_hh_l0", "bias_hh_l0_reverse"]
    conv = c.row("conv")
    assert conv.delta == 0 and conv.b.trainable == 0 and "requires_grad=False" in conv.note
    (kernel,) = conv.terms
    assert kernel.b.shape == tuple(modules["conv"].weight.shape) and kernel.delta == 0
    assert c.row("rnn").delta == 3
    assert c.row("grid").why == "no parameters in either"
    assert "Rows: " in str(c) and "without a port in paramlab.pytorch" in str(c)


def test_pytorch_counts_are_refused_as_b():
    from paramlab.core import pytorch as P

    with pytest.raises(TypeError, match=r"compare\(model, framework='pytorch'\)\. Received: b="):
        compare(mlp(3, "m"), P.lstm(4, 3))
