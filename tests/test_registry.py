"""Every layer class that ships with Keras has a formula, is known to have no parameters, or is
listed (with a reason) as not covered, in the code and in the README."""

from __future__ import annotations

import inspect
from pathlib import Path

import keras
import pytest
from keras import layers as L

import paramlab
import paramlab.bridge._adapters  # registers every adapter
from paramlab.bridge._coverage import NOT_COVERED, PARAMETER_FREE
from paramlab.bridge._registry import adapter_for_class, breakdown_of
from paramlab.core import formulas
from paramlab.core.terms import Family

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PACKAGE = ROOT / "widgets" / "paramlab"

PUBLIC_LAYERS = sorted(
    {
        obj
        for _, obj in inspect.getmembers(keras.layers, inspect.isclass)
        if issubclass(obj, keras.layers.Layer)
    },
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("cls", PUBLIC_LAYERS, ids=lambda cls: cls.__name__)
def test_every_keras_layer_class_is_accounted_for(cls):
    if cls.__name__ in NOT_COVERED:
        assert adapter_for_class(cls) is None
        return
    assert adapter_for_class(cls) is not None, (
        f"{cls.__name__} has no formula and is not listed in NOT_COVERED"
    )


def test_not_covered_list_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for name in NOT_COVERED:
        assert f"`{name}`" in text, f"README does not list {name} as not covered"


def test_parameter_free_names_exist():
    for names in PARAMETER_FREE.values():
        for name in names:
            assert hasattr(keras.layers, name), name


PARAMETER_FREE_SAMPLES = [
    (L.MaxPooling2D(), (None, 8, 8, 3)),
    (L.GlobalAveragePooling1D(), (None, 8, 3)),
    (L.AdaptiveAveragePooling2D(2), (None, 8, 8, 3)),
    (L.Dropout(0.5), (None, 8)),
    (L.SpatialDropout1D(0.2), (None, 8, 3)),
    (L.GaussianNoise(0.1), (None, 8)),
    (L.Flatten(), (None, 4, 4)),
    (L.Reshape((16,)), (None, 4, 4)),
    (L.ZeroPadding2D(1), (None, 8, 8, 3)),
    (L.UpSampling1D(2), (None, 8, 3)),
    (L.ReLU(), (None, 8)),
    (L.LeakyReLU(), (None, 8)),
    (L.Softmax(), (None, 8)),
    (L.Add(), [(None, 8), (None, 8)]),
    (L.Concatenate(), [(None, 8), (None, 4)]),
    (L.Rescaling(1 / 255), (None, 8, 8, 3)),
    (L.RandomFlip(), (None, 8, 8, 3)),
    (L.Resizing(4, 4), (None, 8, 8, 3)),
    (L.Masking(), (None, 8, 3)),
    (L.MelSpectrogram(), (None, 1000)),
]


@pytest.mark.parametrize(
    "layer,shape",
    PARAMETER_FREE_SAMPLES,
    ids=lambda v: type(v).__name__ if isinstance(v, L.Layer) else "",
)
def test_parameter_free_layers_really_have_none(layer, shape):
    layer.build(shape)
    assert layer.count_params() == 0
    report = paramlab.explain(layer)
    assert report.rows[0].explained and report.rows[0].terms == ()
    assert report.rows[0].formula == "0 (no weights)"


def test_adapter_modules_mirror_the_formula_modules():
    """formulas/conv.py has its reader in _adapters/conv.py, and so on (private helpers apart)."""
    formulas = {p.name for p in (PACKAGE / "core" / "formulas").glob("[!_]*.py")}
    adapters = {p.name for p in (PACKAGE / "bridge" / "_adapters").glob("[!_]*.py")}
    assert formulas == adapters


def test_rnn_around_a_cell_says_what_it_wraps():
    layer = L.RNN(L.LSTMCell(4))
    layer.build((None, 7, 3))
    b = breakdown_of(layer)
    assert (b.layer, b.family, b.wrapped, b.core) == (
        "RNN(LSTM)",
        Family.RNN,
        formulas.lstm(4, 3),
        formulas.lstm(4, 3),
    )
    lstm = L.LSTM(4)
    lstm.build((None, 7, 3))
    assert breakdown_of(lstm) == formulas.lstm(4, 3)


def test_public_names_are_listed_once_and_resolve():
    assert len(paramlab.__all__) == len(set(paramlab.__all__))
    for name in paramlab.__all__:
        assert getattr(paramlab, name) is not None, name
    assert set(paramlab.__all__) <= set(dir(paramlab))
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        paramlab.nope  # noqa: B018
