"""explain(model): the Report contract, awkward models, golden text output."""

from __future__ import annotations

import math
from pathlib import Path

import keras
import pytest
from fixtures import models
from keras import layers as L

import paramlab
from paramlab import Report, Row

GOLDEN = Path(__file__).parent / "golden"


def keras_totals(model) -> tuple[int, int, int]:
    return (
        model.count_params(),
        sum(math.prod(w.shape) for w in model.trainable_weights),
        sum(math.prod(w.shape) for w in model.non_trainable_weights),
    )


@pytest.mark.parametrize("name", sorted(models.ALL))
def test_totals_are_keras_and_rows_add_up(name):
    model = models.ALL[name]()
    report = paramlab.explain(model)
    assert isinstance(report, Report)
    assert (report.total, report.trainable, report.non_trainable) == keras_totals(model)
    assert all(isinstance(v, int) for v in (report.total, report.trainable, report.non_trainable))
    assert sum(r.total for r in report.rows) == report.total
    assert sum(r.trainable for r in report.rows) == report.trainable
    assert sum(r.non_trainable for r in report.rows) == report.non_trainable
    for row in report.rows:
        assert isinstance(row, Row)
        assert row.total == row.trainable + row.non_trainable
        if row.explained:
            counted = sum(t.count for t in row.terms if "counted there" not in t.note)
            assert counted == row.total


@pytest.mark.parametrize(
    "name", [n for n in sorted(models.ALL) if n not in ("custom_layers", "tied_weights")]
)
def test_every_keras_layer_is_explained(name):
    report = paramlab.explain(models.ALL[name]())
    assert report.unexplained == ()


def test_rows_follow_model_order_and_skip_nothing():
    model = models.lstm_stack()
    report = paramlab.explain(model)
    assert [r.name for r in report.rows] == [layer.name for layer in model.layers]
    assert [r.total for r in report.rows] == [18_176, 0, 33_024, 4_160, 4_160, 390]
    assert report.total == 59_910


def test_row_fields():
    row = paramlab.explain(models.cs231n_conv1d()).row("conv1d")
    assert (row.name, row.class_name, row.total, row.trainable, row.non_trainable) == (
        "conv1d",
        "Conv1D",
        7_232,
        7_232,
        0,
    )
    assert [t.path for t in row.terms] == ["kernel", "bias"]
    assert row.terms[0].shape == (5, 45, 32)
    assert row.terms[0].formula == "kernel_size * channels * filters = 5 * 45 * 32 = 7,200"
    assert row.explained
    assert row.output_shape == "(None, 41, 32)"


def test_shared_layer_counts_once():
    model = models.shared_layer()
    report = paramlab.explain(model)
    assert [r.name for r in report.rows].count("shared_dense") == 1
    assert report.row("shared_dense").total == 36
    assert report.total == model.count_params() == 36 + 9


def test_nested_model_rows_are_prefixed():
    report = paramlab.explain(models.nested())
    names = [r.name for r in report.rows]
    assert "encoder/enc_dense" in names and "encoder/enc_bn" in names
    assert names.count("encoder/enc_dense") == 1  # the encoder is used twice, counted once
    bn = report.row("encoder/enc_bn")
    assert (bn.trainable, bn.non_trainable) == (12, 12)


def test_frozen_terms_are_non_trainable():
    report = paramlab.explain(models.frozen())
    for name in ("frozen_dense", "frozen_bn"):
        row = report.row(name)
        assert row.explained and row.trainable == 0
        assert not any(t.trainable for t in row.terms)
    assert all(t.trainable for t in report.row("trained_dense").terms)
    assert report.trainable == 36


def test_tied_weights_count_once():
    model = models.tied_weights()
    report = paramlab.explain(model)
    assert report.total == model.count_params() == 200 + 20
    tied = report.row("tied_out")
    assert tied.total == 0 and not tied.explained
    assert "embed" in tied.note


def test_custom_layers_fall_back_to_weights():
    report = paramlab.explain(models.custom_layers())
    scale = report.row("scale")
    assert not scale.explained
    assert "no formula for Scale" in scale.note
    assert [(t.name, t.shape) for t in scale.terms] == [("factor", (4,))]
    assert report.row("block/inner").explained  # known layers inside a custom one
    assert report.row("block").total == 1  # its own 'gate' weight


def test_explain_a_single_layer():
    layer = L.LSTM(64)
    layer.build((None, 100, 6))
    report = paramlab.explain(layer)
    assert [r.name for r in report.rows] == [layer.name]
    assert report.total == 18_176 == layer.count_params()


def test_lora_and_quantized_rows():
    model = keras.Sequential(
        [keras.Input((8,)), L.Dense(4, name="adapted"), L.Dense(3, name="packed")]
    )
    model.get_layer("adapted").enable_lora(2)
    model.get_layer("packed").quantize("int8")
    report = paramlab.explain(model)
    assert (report.total, report.trainable, report.non_trainable) == keras_totals(model)
    adapted = report.row("adapted")
    assert adapted.explained
    assert adapted.non_trainable == 32  # the frozen kernel
    packed = report.row("packed")
    assert not packed.explained and "quantized" in packed.note


def test_formula_mismatch_is_reported_not_hidden(monkeypatch):
    """If a formula ever disagrees with Keras, the row says so and counts the real weights."""
    from paramlab.bridge import _registry
    from paramlab.core.formulas import dense

    monkeypatch.setitem(_registry._ADAPTERS, L.Dense, lambda layer: dense(layer.units, 1))
    report = paramlab.explain(models.cs231n_conv1d())
    row = report.row("dense")
    assert not row.explained
    assert "does not match the weights Keras built" in row.note
    assert row.total == 41 * 32 * 10 + 10 == 13_130
    assert report.total == 7_232 + 13_130


def test_memory_lines():
    report = paramlab.explain(models.lstm_stack())
    assert report.memory.float32 == 59_910 * 4
    assert report.memory.float16 == 59_910 * 2
    assert report.memory.adam_float32 == (59_910 + 2 * 59_910) * 4
    text = str(report)
    assert "Memory: 234.02 KB as float32, 117.01 KB as float16" in text
    assert "Training with Adam (float32): 702.07 KB" in text


def test_html_has_every_term_and_the_totals():
    report = paramlab.explain(models.frozen())
    page = report._repr_html_()
    assert page.count("<tr") == 1 + len(report.rows) + sum(len(r.terms) for r in report.rows) + sum(
        1 for r in report.rows if r.explained and r.note
    )
    assert "moving_variance (8,)" in page and "[non-trainable]" in page
    assert "Total params: 204" in page and "Trainable params: 36" in page
    assert "&lt;" not in report.name


def test_not_a_model():
    with pytest.raises(
        TypeError,
        match=r"`explain\(\)` expects a Keras model or layer\. "
        r"Received: model_or_layer='dense' \(of type str\)",
    ):
        paramlab.explain("dense")


def test_unbuilt_model():
    model = keras.Sequential([L.Dense(3)], name="unbuilt")
    with pytest.raises(
        ValueError,
        match=r"The model 'unbuilt' has not been built yet.*"
        r"model\.build\(input_shape\).*Received: model=unbuilt \(built=False\)",
    ):
        paramlab.explain(model)
    with pytest.raises(ValueError, match=r"The layer 'lonely' has not been built yet"):
        paramlab.explain(L.Dense(3, name="lonely"))


@pytest.mark.parametrize(
    "name", ["cs231n_conv1d", "lstm_stack", "frozen", "nested", "custom_layers", "attention_model"]
)
def test_golden_text(name, request):
    text = str(paramlab.explain(models.ALL[name]())) + "\n"
    path = GOLDEN / f"{name}.txt"
    if request.config.getoption("--regen-golden"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run pytest --regen-golden once, on purpose"
    assert text == path.read_text(encoding="utf-8")
