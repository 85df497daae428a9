"""What a saved notebook holds: every paramlab widget's bundle carries a static stand-in, and the
server's save hook keeps only the stand-in on disk, so a notebook opened again without its
kernel never shows "Error displaying widget: model not found"."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import ipywidgets as W
import pytest
from IPython.core.interactiveshell import InteractiveShell

from paramlab.ui import _display, _save_hook, _stand_in

VIEW = _stand_in.WIDGET_VIEW
KEY = _stand_in.STAND_IN_KEY


def captured_bundles(obj, monkeypatch) -> list[tuple[dict, dict]]:
    shown: list[tuple[dict, dict]] = []

    def fake_display(bundle, metadata=None, raw=False):
        assert raw
        shown.append((bundle, metadata or {}))

    monkeypatch.setattr(_display, "display", fake_display)
    obj._ipython_display_()
    return shown


def notebook_with(outputs: list[dict]) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "x"},
            {"cell_type": "code", "metadata": {}, "source": "", "outputs": outputs},
        ],
    }


def output(data: dict, metadata: dict | None = None) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": metadata or {}}


def test_the_server_loads_the_save_hook_without_ipywidgets():
    """The Jupyter server imports the hook: it must not pull in the kernel's widget stack."""
    code = (
        "import sys, paramlab.ui._save_hook; "
        "print(sorted({'ipywidgets', 'IPython', 'keras'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_show_puts_the_stand_in_beside_the_live_view(monkeypatch):
    shown: list = []
    monkeypatch.setattr(
        _display, "display", lambda b, metadata=None, raw=False: shown.append((b, metadata))
    )
    _display.show(W.IntSlider(), "read-out", html_text="<p>read-out</p>", png=b"\x89PNG", alt="a")
    ((bundle, metadata),) = shown
    assert VIEW in bundle
    assert bundle["text/plain"] == "read-out"
    assert bundle["text/html"] == "<p>read-out</p>"
    assert bundle["image/png"] == "iVBORw=="
    assert metadata[KEY] == {"stand_in": True}
    assert metadata["image/png"] == {"alt": "a"}


@pytest.mark.parametrize("name", ["DenseExplorer", "Quiz", "Conv1DPicture"])
def test_every_kind_of_widget_displays_a_stand_in(name, monkeypatch):
    import paramlab

    obj = {
        "DenseExplorer": lambda: paramlab.DenseExplorer(),
        "Quiz": lambda: paramlab.Quiz("How many?", 7),
        "Conv1DPicture": lambda: paramlab.Conv1DPicture(),
    }[name]()
    ((bundle, metadata),) = captured_bundles(obj, monkeypatch)
    assert VIEW in bundle
    assert metadata.get(KEY)
    static = set(bundle) - {VIEW, "text/plain"}
    assert static, f"{name} shows nothing richer than text/plain without a kernel"
    assert static & {"text/html", "image/png"}


def test_save_hook_drops_only_marked_live_views():
    marked = output(
        {VIEW: {"model_id": "abc"}, "text/plain": "t", "text/html": "<p>t</p>"},
        {KEY: {"stand_in": True}},
    )
    foreign = output({VIEW: {"model_id": "def"}, "text/plain": "IntSlider()"})
    view_only = output({VIEW: {"model_id": "ghi"}}, {KEY: {}})
    nb = notebook_with([marked, foreign, view_only])
    before = copy.deepcopy(nb)
    assert _save_hook.strip_live_views(nb) == 1
    outs = nb["cells"][1]["outputs"]
    assert outs[0]["data"] == {"text/plain": "t", "text/html": "<p>t</p>"}
    assert outs[1] == before["cells"][1]["outputs"][1]  # not ours: left alone
    assert outs[2] == before["cells"][1]["outputs"][2]  # nothing to fall back on: left alone


def test_pre_save_hook_touches_notebooks_only():
    nb = notebook_with([output({VIEW: {}, "text/plain": "t"}, {KEY: {"stand_in": True}})])
    _save_hook.pre_save_hook(model={"type": "file", "content": nb}, path="x.txt")
    assert VIEW in nb["cells"][1]["outputs"][0]["data"]
    _save_hook.pre_save_hook(model={"type": "notebook", "content": nb}, path="x.ipynb")
    assert VIEW not in nb["cells"][1]["outputs"][0]["data"]
    _save_hook.pre_save_hook(model={"type": "notebook", "content": None}, path="y.ipynb")


def test_a_real_display_round_trip_through_the_hook(monkeypatch):
    """Display an explorer in a real IPython shell, write the output as nbformat, save it."""
    import paramlab

    shell = InteractiveShell.instance()
    published: list[dict] = []
    monkeypatch.setattr(
        shell.display_pub,
        "publish",
        lambda data, metadata=None, **kw: published.append(output(data, metadata)),
    )
    paramlab.DenseExplorer()._ipython_display_()
    nb = json.loads(json.dumps(notebook_with(published)))
    _save_hook.strip_live_views(nb)
    (saved,) = nb["cells"][1]["outputs"]
    assert VIEW not in saved["data"]
    assert "Keras builds this layer" in saved["data"]["text/html"]


def test_install_writes_the_server_config(tmp_path):
    path = _save_hook.install(tmp_path)
    assert path == tmp_path / "etc/jupyter/jupyter_server_config.d/paramlab.json"
    config = json.loads(path.read_text())
    assert config == {"ServerApp": {"jpserver_extensions": {"paramlab.ui._save_hook": True}}}


def test_the_server_lists_the_extension_as_valid():
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = out.stdout + out.stderr
    assert "paramlab.ui._save_hook" in text, text
    assert "paramlab.ui._save_hook  OK" in text.replace("\x1b[32m", "").replace("\x1b[0m", ""), text
