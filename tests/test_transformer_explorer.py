"""TransformerExplorer, headless: set the controls as a learner would, read what it displays,
and compare every count with a real Keras model of the same architecture. The explorer
contract of the others holds: arguments honoured or refused in Keras' voice, thousands
separators, the Keras line under the controls, a static stand-in, a throttled check."""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paramlab.core.terms import fmt
from paramlab.ui import _display, _stand_in
from paramlab.ui.explorers import TransformerExplorer, __all__
from tests.keras_transformer import keras_model

DEFAULTS = {
    "vocab": 1000,
    "seq_len": 64,
    "d_model": 64,
    "num_heads": 4,
    "key_dim": 16,
    "ff_dim": 256,
    "layers": 1,
    "head": "none",
    "use_bias": True,
}


def keras_total(**change) -> int:
    return keras_model(**{**DEFAULTS, **change}).count_params()


def checked(total: int, shape: str) -> str:
    return f"Keras builds this layer: {fmt(total)} parameters, output {shape} (checked)"


def test_contract():
    e = TransformerExplorer()
    assert set(e.controls) == set(DEFAULTS)
    assert e.values == DEFAULTS
    assert "TransformerExplorer" in __all__
    assert e.notes == ()  # every slider position is a model Keras builds: nothing locked
    total = keras_total()
    assert e.text.splitlines()[0] == checked(total, "(None, 64, 64)")
    assert f"Trainable: {fmt(total)}   Non-trainable: 0   Total: {fmt(total)}" in e.text


def test_the_read_out_goes_term_by_term_with_keras_names():
    lines = TransformerExplorer().text.splitlines()
    assert lines[1] == (
        "Transformer: one encoder block, d_model=64, num_heads=4, key_dim=16, ff_dim=256, "
        "after embeddings of vocab=1000 and seq_len=64, head='none', on token ids (batch, 64)"
    )
    for line in [
        "    token_embedding/embeddings (1000, 64): input_dim * output_dim = 1,000 * 64 = 64,000",
        "    position_embedding/embeddings (64, 64): input_dim * output_dim = 64 * 64 = 4,096",
        "    block_1_attention/query/kernel (64, 4, 16): query_dim * num_heads * key_dim = "
        "64 * 4 * 16 = 4,096",
        "    block_1_attention/attention_output/kernel (4, 16, 64): num_heads * value_dim * "
        "query_dim = 4 * 16 * 64 = 4,096",
        "    block_1_norm_2/beta (64,): features = 64",
        "    block_1_ffn_1/kernel (64, 256): input_dim * units = 64 * 256 = 16,384",
        "  block_1_attention: 4,096 + 64 + 4,096 + 64 + 4,096 + 64 + 4,096 + 64 = 16,640",
        "Output shape: (batch, 64, 64)",
        "num_heads * key_dim = 4 * 16 = 64 = d_model: the usual split. Each projection then "
        "holds d_model * d_model weights however many heads share them",
        "Feed-forward: Dense(ff_dim) then Dense(d_model), 2 * d_model * ff_dim + ff_dim + "
        "d_model = 2 * 64 * 256 + 256 + 64 = 33,088",
        "Parameters = vocab * d_model + seq_len * d_model + layers * block = 1,000 * 64 + "
        "64 * 64 + 1 * 49,984 = 118,080",
    ]:
        assert line in lines, line
    assert keras_total() == 118_080


@pytest.mark.parametrize(
    "name,value",
    [
        ("vocab", 5000),
        ("seq_len", 200),
        ("d_model", 96),
        ("num_heads", 6),
        ("key_dim", 40),
        ("ff_dim", 1000),
        ("layers", 3),
        ("use_bias", False),
    ],
)
def test_each_control_moves_the_count_as_keras_does(name, value):
    e = TransformerExplorer()
    e.controls[name].value = value
    total = keras_total(**{name: value})
    assert f"Total: {fmt(total)}" in e.text
    seq, width = e.values["seq_len"], e.values["d_model"]
    assert checked(total, f"(None, {seq}, {width})") in e.text.splitlines()
    if name == "use_bias":
        assert "bias (" not in e.text and "their biases" not in e.text


def test_the_head_ties_or_adds_a_dense():
    e = TransformerExplorer()
    untied = keras_total()
    e.controls["head"].value = "tied"
    assert keras_total(head="tied") == untied  # the head reuses the embeddings
    assert checked(untied, "(None, 64, 1,000)") in e.text.splitlines()
    assert (
        "head='tied': the output projection reuses token_embedding/embeddings (1000, 64) "
        f"(transposed), so Keras counts it once; adding it again for the head would say "
        f"{fmt(untied + 64_000)}"
    ) in e.text
    e.controls["head"].value = "dense"
    dense = keras_total(head="dense")
    assert dense == untied + 64 * 1000 + 1000
    assert f"Total: {fmt(dense)}" in e.text
    assert "    head/kernel (64, 1000): input_dim * units = 64 * 1,000 = 64,000" in e.text
    assert "head='dense': a Dense(vocab) of its own, d_model * vocab + vocab = 64 * 1,000 + " in (
        e.text
    )


def test_more_heads_of_a_smaller_key_dim_leave_the_count_unchanged():
    e = TransformerExplorer(d_model=128, num_heads=1, key_dim=128)
    first = keras_total(d_model=128, num_heads=1, key_dim=128)
    for heads in (2, 4, 8, 16):
        e.update(num_heads=heads, key_dim=128 // heads)
        e.settle()
        assert f"Total: {fmt(first)}" in e.text
        assert checked(first, "(None, 64, 128)") in e.text.splitlines()
    e.controls["key_dim"].value = 10
    assert "num_heads * key_dim = 16 * 10 = 160, not d_model=128: Keras allows it" in e.text
    assert f"Total: {fmt(keras_total(d_model=128, num_heads=16, key_dim=10))}" in e.text


def test_layers_repeat_the_block():
    e = TransformerExplorer(layers=2)
    assert "    block_2_ffn_2/bias (64,): units = 64" in e.text
    assert "Each block: attention + 2 * norm + ffn_1 + ffn_2 = 16,640 + 2 * 128 + 16,640 + " in (
        e.text
    )
    assert "; 2 encoder blocks: 2 * 49,984 = 99,968" in e.text
    assert f"Total: {fmt(keras_total(layers=2))}" in e.text


# --- arguments: honoured, or refused in Keras' voice ------------------------------------------

INT_ARGS = [
    ("vocab", 16_384),
    ("seq_len", 1024),
    ("d_model", 512),
    ("num_heads", 16),
    ("key_dim", 128),
    ("ff_dim", 2048),
    ("layers", 4),
]


@pytest.mark.parametrize("name,high", INT_ARGS)
def test_int_argument_at_the_ends_of_its_range_and_beyond(name, high):
    e = TransformerExplorer(**{name: 1})
    assert (e.controls[name].value, e.controls[name].min, e.controls[name].max) == (1, 1, high)
    assert "(checked)" in e.text
    beyond = high + 3
    e = TransformerExplorer(**{name: beyond})
    assert e.controls[name].value == e.controls[name].max == beyond  # the slider grows
    assert f"{name}={beyond}" in e.text or fmt(beyond) in e.text
    assert f"Total: {fmt(keras_total(**{name: beyond}))}" in e.text
    assert "(checked)" in e.text


@pytest.mark.parametrize("name", [name for name, _ in INT_ARGS])
def test_int_argument_outside_its_range_or_of_the_wrong_type_is_refused(name):
    with pytest.raises(
        ValueError,
        match=rf"Invalid value for argument `{name}`\. Expected a strictly positive integer\. "
        rf"Received: {name}=0$",
    ):
        TransformerExplorer(**{name: 0})
    with pytest.raises(
        TypeError,
        match=rf"The argument `{name}` must be an integer\. Received: {name}='8' \(of type str\)",
    ):
        TransformerExplorer(**{name: "8"})


def test_head_and_use_bias_are_checked():
    with pytest.raises(
        ValueError,
        match=r"Invalid value for argument `head`\. Expected one of \{'none', 'tied', 'dense'\}\. "
        r"Received: head='untied'",
    ):
        TransformerExplorer(head="untied")
    assert TransformerExplorer(head="TIED").controls["head"].value == "tied"
    with pytest.raises(TypeError, match=r"`use_bias` must be True or False\. Received: use_bias=1"):
        TransformerExplorer(use_bias=1)
    assert TransformerExplorer(use_bias=False).controls["use_bias"].value is False


def test_every_count_has_thousands_separators():
    e = TransformerExplorer(vocab=12_000, seq_len=2048, d_model=96, ff_dim=1536, head="dense")
    shapes = re.compile(r"\((?:\d+|None|batch)(?:, (?:\d+|None|batch))*,?\)")
    bare = re.findall(r"(?<![\w=,])\d{4,}", shapes.sub("", e.text))
    assert bare == [], e.text
    assert "(checked)" in e.text


# --- what a learner sees ---------------------------------------------------------------------


def test_keras_line_sits_under_the_controls_and_everything_fits_the_width():
    e = TransformerExplorer()
    box = e.widget()
    controls, notes, keras_line, readout = box.children
    assert list(controls.children) == list(e.controls.values())
    assert controls.layout.flex_flow == "row wrap"
    assert keras_line is e._keras_html and "Keras builds this layer" in keras_line.value
    assert readout is e._readout
    for widget in (box, controls, notes, keras_line, readout, *e.controls.values()):
        assert widget.layout.max_width == "100%"
        for size in (widget.layout.width, widget.layout.min_width):
            assert size is None or not size.endswith("px")
    # a weight's path and shape never break apart, nor a product
    nowrap = re.findall(r'<span style="white-space:pre">(.*?)</span>', readout.value)
    assert "64 * 4 * 16" in " ".join(nowrap)


def test_display_carries_the_live_view_text_and_a_static_read_out(monkeypatch):
    shown: list[dict] = []
    monkeypatch.setattr(_display, "display", lambda b, metadata=None, raw=False: shown.append(b))
    e = TransformerExplorer(head="tied")
    e.update(layers=2)
    e._ipython_display_()  # settles the pending check first
    (bundle,) = shown
    assert _stand_in.WIDGET_VIEW in bundle
    assert bundle["text/plain"] == e.text
    wanted = checked(keras_total(head="tied", layers=2), "(None, 64, 1,000)")
    assert wanted in bundle["text/plain"].splitlines()
    static = bundle["text/html"]
    assert wanted in html.unescape(re.sub(r"<[^>]+>", "", static))
    assert e._readout.value in static and _display.STAND_IN_NOTE in static
    assert "id=" not in static


def test_check_is_deferred_in_a_kernel_and_settles_on_the_final_value(monkeypatch):
    from paramlab.ui.explorers import _deferred

    monkeypatch.setattr(_deferred, "kernel_loop", asyncio.get_running_loop)  # as in a kernel

    async def scenario():
        e = TransformerExplorer()
        builds = []
        original = e._run_check

        def counting():
            builds.append(e.controls["ff_dim"].value)
            original()

        e._check.fn = counting
        for ff in range(100, 110):
            e.controls["ff_dim"].value = ff  # a quick drag
        assert "Keras builds this layer: checking..." in e.text.splitlines()
        await asyncio.sleep(0.4)
        return e, builds

    e, builds = asyncio.run(scenario())
    assert builds == [109]  # one Keras build, for the final value
    assert checked(keras_total(ff_dim=109), "(None, 64, 64)") in e.text.splitlines()


def test_a_wrong_formula_would_be_loud(monkeypatch):
    from paramlab.ui.explorers import transformer as module

    real = module.transformer
    monkeypatch.setattr(module, "transformer", lambda **c: real(**{**c, "vocab": c["vocab"] + 1}))
    e = TransformerExplorer()
    total = keras_total()
    assert f"MISMATCH: Keras builds this layer with {fmt(total)} parameters" in e.text
    assert f"the formula says {fmt(total + 64)}" in e.text


MOVES = st.lists(
    st.tuples(
        st.sampled_from(["vocab", "seq_len", "d_model", "num_heads", "key_dim", "ff_dim"]),
        st.integers(1, 200),
    )
    | st.tuples(st.just("layers"), st.integers(1, 3))
    | st.tuples(st.just("head"), st.sampled_from(["none", "tied", "dense"]))
    | st.tuples(st.just("use_bias"), st.booleans()),
    max_size=5,
)


@settings(max_examples=8)
@given(moves=MOVES)
def test_any_sequence_of_moves_stays_checked(moves):
    e = TransformerExplorer(vocab=100, seq_len=16, d_model=16, ff_dim=32)
    for name, value in moves:
        e.controls[name].value = value
        assert "(checked)" in e.text, e.text
    assert f"Total: {fmt(keras_model(**e.values).count_params())}" in e.text
