"""The Transformer formula (`paramlab.core.formulas.transformer`) against real Keras models of
the same architecture, built from keras.layers (`tests/keras_transformer.py`): layer by layer,
weight by weight, in total, over a grid and random configurations; the tied head counted once;
errors in Keras' voice."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import layers as L

import paramlab
from paramlab.bridge._adapters.transformer import keras_transformer
from paramlab.core.formulas.transformer import HEADS, Stack, transformer, transformer_block
from tests.keras_check import assert_matches
from tests.keras_transformer import keras_model


def weights(model) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((w.path, tuple(int(d) for d in w.shape)) for w in model.weights)


def terms(stack: Stack) -> list[tuple[str, tuple[int, ...]]]:
    return sorted((t.path, t.shape) for t in stack.breakdown.terms)


def assert_same(stack: Stack, model) -> None:
    """Every layer by name, every weight by path and shape, and the totals."""
    layers = {layer.name: layer for layer in model.layers if not isinstance(layer, L.InputLayer)}
    assert set(layers) == set(stack.names)
    for name, b in stack.rows:
        assert_matches(b, layers[name])
    assert terms(stack) == weights(model)
    assert stack.total == stack.breakdown.total == model.count_params()
    assert stack.trainable == sum(math.prod(w.shape) for w in model.trainable_weights)
    assert stack.non_trainable == 0


SMALL = {"vocab": 50, "seq_len": 12, "d_model": 16, "num_heads": 2, "key_dim": 8, "ff_dim": 32}
GRID = [
    {},
    {"head": "tied"},
    {"head": "dense"},
    {"head": "dense", "use_bias": False},
    {"layers": 2, "head": "tied", "final_norm": True},
    {"layers": 3, "num_heads": 3, "key_dim": 5, "value_dim": 7},
    {"num_heads": 4, "key_dim": 4, "use_bias": False, "pre_norm": True, "head": "tied"},
    {"vocab": 1, "seq_len": 1, "d_model": 1, "num_heads": 1, "key_dim": 1, "ff_dim": 1},
]


@pytest.mark.parametrize("change", GRID, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_the_formula_matches_keras_layer_by_layer(change):
    config = {**SMALL, **change}
    pre_norm = config.pop("pre_norm", False)
    model = keras_model(**config, pre_norm=pre_norm)
    stack = transformer(**config)
    assert_same(stack, model)
    assert paramlab.explain(model).total == stack.total


@settings(max_examples=12)
@given(
    vocab=st.integers(1, 300),
    seq_len=st.integers(1, 40),
    d_model=st.integers(1, 24),
    num_heads=st.integers(1, 4),
    key_dim=st.integers(1, 12),
    value_dim=st.none() | st.integers(1, 12),
    ff_dim=st.integers(1, 48),
    layers=st.integers(1, 2),
    use_bias=st.booleans(),
    head=st.sampled_from(HEADS),
    final_norm=st.booleans(),
)
def test_any_configuration_matches_keras(**config):
    assert_same(transformer(**config), keras_model(**config))


def test_the_explorers_model_is_the_formulas_too():
    """The model the explorer's Keras check builds has the formula's layers and weights."""
    config = {**SMALL, "layers": 2, "head": "tied", "final_norm": True}
    model = keras_transformer(**config)
    assert_same(transformer(**config), model)
    assert weights(model) == weights(keras_model(**config))


def test_a_tied_head_is_counted_once():
    tied = transformer(**SMALL, head="tied")
    model = keras_model(**SMALL, head="tied")
    (embeddings,) = [w for w in model.weights if w.path == "token_embedding/embeddings"]
    assert tied.shared is not None and tied.shared.path == embeddings.path
    assert tied.total == model.count_params()  # Keras: one matrix, used twice
    assert tied.naive_total == tied.total + 50 * 16  # the slip: the head counted again
    assert sum(math.prod(w.shape) for w in model.weights) == tied.total
    assert "so Keras counts it once; adding it again for the head would say" in tied.notes[2]
    dense = transformer(**SMALL, head="dense")
    assert (
        dense.total - tied.total
        == 16 * 50 + 50
        == keras_model(**SMALL, head="dense").get_layer("head").count_params()
    )
    none = transformer(**SMALL)
    assert none.total == tied.total and none.shared is None and none.naive_total == none.total


@pytest.mark.parametrize("d_model", [32, 48])
def test_splitting_d_model_into_heads_leaves_the_count_unchanged(d_model):
    counts = set()
    for heads in (1, 2, 4, 8, 16):
        layer = L.MultiHeadAttention(heads, d_model // heads)
        layer.build((None, 5, d_model), (None, 5, d_model))
        b = transformer_block(d_model=d_model, num_heads=heads, key_dim=d_model // heads, ff_dim=8)
        assert b["block_1_attention"].total == layer.count_params()
        assert "the usual split" in b.notes[0]
        counts.add(layer.count_params())
    assert counts == {4 * d_model * d_model + 4 * d_model}


def test_an_unusual_key_dim_is_said_not_refused():
    b = transformer_block(d_model=64, num_heads=3, key_dim=10, ff_dim=8)
    assert b.notes == (
        "num_heads * key_dim = 3 * 10 = 30, not d_model=64: Keras allows it (the output "
        "projection maps back to d_model); the usual choice is key_dim = d_model // num_heads "
        "= 21",
    )


def test_a_block_is_the_stacks_first_block():
    block = transformer_block(
        **{k: SMALL[k] for k in ("d_model", "num_heads", "key_dim")}, ff_dim=32
    )
    stack = transformer(**SMALL, layers=3)
    assert stack.rows[3:10] == block.rows
    assert stack.rows[10][0] == "block_2_attention"
    assert stack.per_block == block.per_block == block.total
    assert stack.total == 50 * 16 + 12 * 16 + 3 * block.total
    second = transformer_block(d_model=16, num_heads=2, key_dim=8, ff_dim=32, name="block_2")
    assert stack.rows[10:17] == second.rows


def test_gpt2_small_has_its_published_count():
    """GPT-2 small (124,439,808 parameters as Hugging Face counts it): 12 blocks of d_model
    768 with 12 heads of 64, ff 3,072, 1,024 positions, 50,257 tokens, tied head, final norm."""
    gpt2 = transformer(
        vocab=50257,
        seq_len=1024,
        d_model=768,
        num_heads=12,
        key_dim=64,
        ff_dim=3072,
        layers=12,
        head="tied",
        final_norm=True,
    )
    assert gpt2.total == 124_439_808
    assert gpt2.per_block == 7_087_872
    assert gpt2.lesson == (
        "vocab * d_model + seq_len * d_model + layers * block + 2 * d_model = "
        "50257 * 768 + 1024 * 768 + 12 * 7,087,872 + 2 * 768 = 124,439,808"
    )


def test_printed_row_by_row():
    assert str(transformer(**SMALL, head="tied")).splitlines()[:6] == [
        "Transformer: 3,216 parameters",
        "  token_embedding (ReversibleEmbedding): embeddings = 800",
        "  position_embedding (Embedding): embeddings = 192",
        "  embedding_add (Add): 0 (no weights)",
        "  block_1_attention (MultiHeadAttention): "
        "256 + 16 + 256 + 16 + 256 + 16 + 256 + 16 = 1,088",
        "  block_1_attention_add (Add): 0 (no weights)",
    ]
    stack = transformer(**SMALL, head="dense")
    assert f"  total: {stack.lesson}" in str(stack)
    assert stack.lesson.startswith(
        "vocab * d_model + seq_len * d_model + layers * block + d_model * vocab + vocab = "
        "50 * 16 + 12 * 16 + 1 * "
    )
    assert stack["head"].layer == "Dense"
    with pytest.raises(KeyError, match="Transformer has no layer 'nope'; it has \\['token_"):
        stack["nope"]


@pytest.mark.parametrize(
    "change,error,message",
    [
        ({"vocab": 0}, ValueError, "Expected a strictly positive integer. Received: vocab=0"),
        ({"seq_len": -1}, ValueError, "Received: seq_len=-1"),
        ({"layers": 0}, ValueError, "Received: layers=0"),
        ({"num_heads": 0}, ValueError, "Received: num_heads=0"),
        ({"ff_dim": 2.5}, TypeError, r"must be an integer\. Received: ff_dim=2\.5"),
        ({"d_model": True}, TypeError, "Received: d_model=True"),
        (
            {"head": "untied"},
            ValueError,
            "Expected one of {'none', 'tied', 'dense'}. Received: head='untied'",
        ),
        ({"final_norm": 1}, TypeError, r"must be True or False\. Received: final_norm=1"),
        ({"use_bias": "yes"}, TypeError, "Received: use_bias='yes'"),
    ],
)
def test_arguments_are_checked_in_keras_voice(change, error, message):
    with pytest.raises(error, match=message.replace("{", "\\{").replace("}", "\\}")):
        transformer(**{**SMALL, **change})


def test_a_block_name_follows_keras_rules():
    with pytest.raises(ValueError) as keras_error:
        L.Dense(2, name="a/b")
    assert "cannot contain character `/`" in str(keras_error.value)
    with pytest.raises(
        ValueError,
        match=r"Argument `name` must be a string and cannot contain character `/`\. "
        r"Received: name='a/b'",
    ):
        transformer_block(d_model=4, num_heads=1, key_dim=4, ff_dim=4, name="a/b")
