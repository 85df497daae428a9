"""explain() on every keras.applications model (weights=None): exact totals, every layer
explained by a formula. The slowest test module (about two minutes of CPU): it builds 40
models, marked `slow` by the root conftest.py."""

from __future__ import annotations

import gc

import keras
import pytest

import paramlab

APPLICATIONS = sorted(
    name
    for name in dir(keras.applications)
    if name[0].isupper() and callable(getattr(keras.applications, name))
)


def test_the_list_is_complete():
    assert len(APPLICATIONS) >= 40
    assert {"ResNet50", "MobileNetV2", "DenseNet121", "EfficientNetB0", "ConvNeXtTiny"} <= set(
        APPLICATIONS
    )


@pytest.mark.parametrize("name", APPLICATIONS)
def test_application(name):
    model = getattr(keras.applications, name)(weights=None)
    try:
        report = paramlab.explain(model)
        assert report.total == model.count_params()
        assert sum(r.total for r in report.rows) == report.total
        assert sum(r.trainable for r in report.rows) == report.trainable
        assert [r.name for r in report.unexplained] == []
    finally:
        del model
        keras.backend.clear_session()
        gc.collect()
