"""The browser edition's lessons (tools/lite_lessons.py): every course notebook converts by the
one rule, every explorer, picture and question stays live, nothing live needs what the browser
lacks, static cells show the full course's code and stored outputs, folded code stays folded,
and no answer is on screen before its question. Pure and fast: no browser, no Keras run; one
subprocess runs every lesson's live cells with numpy, matplotlib and keras blocked.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import nbformat
import pytest
from answer_check import FOLD, early_answers, text

from paramlab.core import links
from tools import lite_cells, lite_lessons
from tools.lite_reach import Reach, cell_needs, missing_module, widget_calls
from tools.notebook_parts import CHEAT_SHEET, ROOT, course_notebooks, source_hidden

REMOTE, REF = "https://github.com/example/paramlab", "main"
NOTEBOOKS = [pytest.param(path, id=path.stem) for path in course_notebooks()]


@cache
def original(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def lite(path: Path) -> dict:
    return lite_lessons.lite_notebook(original(path), path.name, remote=REMOTE, ref=REF)


def code_cells(nb: dict) -> list[dict]:
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def by_id(nb: dict) -> dict[str, dict]:
    return {cell["id"]: cell for cell in nb["cells"]}


def code_cell(source: str, cell_id: str, outputs: list | None = None, **metadata) -> dict:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": metadata,
        "source": source,
        "outputs": outputs or [],
        "execution_count": None,
    }


def notebook(*cells: dict) -> dict:
    setup = code_cell("import paramlab\n\nimport keras\n", "setup")
    return {"cells": [setup, *cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def kinds(nb: dict) -> dict[str, str]:
    """Each code cell of the notebook a lite notebook came from, by id: live or static."""
    found = {}
    for cell in nb["cells"]:
        if lite_lessons.is_static(cell):
            found[cell["metadata"]["paramlab"]["cell"]] = "static"
        elif cell["cell_type"] == "code":
            found[cell["id"]] = "live"
    return found


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_course_notebook_converts_to_a_valid_pyodide_notebook(path):
    nb = lite(path)
    nbformat.validate(nbformat.from_dict(nb))
    assert nb["metadata"]["kernelspec"] == {
        "name": "python",
        "display_name": "Python (Pyodide)",
        "language": "python",
    }
    assert nb["metadata"]["language_info"]["name"] == "python"
    assert "version" not in nb["metadata"]["language_info"]
    assert nb["metadata"]["paramlab"] == {"edition": "lite", "source": path.name}
    intro = text(nb["cells"][0]["source"])
    assert "runs in your browser" in intro and "nothing you type is sent anywhere" in intro
    assert "make lab" in intro and "mybinder.org/v2/gh/example/paramlab/main" in intro
    assert f"notebooks%2F{path.name}" in intro
    markdown = [c for c in original(path)["cells"] if c["cell_type"] == "markdown"]
    assert [c for c in nb["cells"] if c["cell_type"] == "markdown" and c in markdown] == markdown


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_every_explorer_picture_and_question_is_live_and_unchanged(path):
    live = by_id(lite(path))
    widgets = [
        cell
        for cell in code_cells(original(path))[1:]
        if widget_calls(lite_lessons.parsed(text(cell["source"])))
    ]
    assert widgets or path.stem == CHEAT_SHEET, "no widget here: the check would see nothing"
    for cell in widgets:
        assert live[cell["id"]] == cell, cell["id"]


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_no_live_cell_loads_a_name_the_browser_lacks(path):
    """The lite notebook read afresh, top to bottom: every statement of every code cell runs."""
    reach = Reach()
    for cell in code_cells(lite(path)):
        tree = lite_lessons.parsed(text(cell["source"]))
        assert [reach.copy().run(stmt) for stmt in tree.body] == [None] * len(tree.body)
        assert cell_needs(reach, tree) is None, cell["id"]


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_the_set_up_cell_runs_paramlab_without_keras_and_names_the_lesson(path):
    setup = code_cells(lite(path))[0]
    source = text(setup["source"])
    tree = ast.parse(source)
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert imported[:2] == ["os", "paramlab"]
    assert not [name for name in imported if missing_module(name)]
    assert "paramlab.setup_notebook(seed=0)" in source
    namespace: dict = {"os": type("os", (), {"environ": {}})}
    exec(ast.unparse(tree.body[1]), namespace)  # the line after `import os`
    assert namespace["os"].environ == {"JPY_SESSION_NAME": path.name}
    first = iter(text(code_cells(original(path))[0]["source"]).splitlines())
    rest = source.split("\n\n", 1)[1].splitlines()  # after the session lines
    assert all(line in first for line in rest if line.strip()), "exact lines, in order"


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_a_static_cell_shows_the_full_course_code_and_stored_outputs(path):
    nb, cells = lite(path), by_id(original(path))
    static = [cell for cell in nb["cells"] if lite_lessons.is_static(cell)]
    assert static
    for cell in static:
        source = text(cell["source"])
        was = cells[cell["metadata"]["paramlab"]["cell"]]
        caption = lite_cells.SHOWN if was["outputs"] else lite_cells.SILENT
        assert source.startswith(caption + "\n"), cell["id"]
        assert cell["id"] == was["id"] + "-static"
        assert cell["metadata"].get("tags") == was["metadata"].get("tags")
        for output in was["outputs"]:
            if output["output_type"] == "stream":
                assert text(output["text"]) in source
            elif "text/html" in output["data"]:
                assert text(output["data"]["text/html"]).strip("\n") in source
            else:
                assert text(output["data"]["text/plain"]) in source
        if was is not code_cells(original(path))[0]:
            assert f"```python\n{text(was['source']).rstrip()}\n```" in source


@pytest.mark.parametrize("path", NOTEBOOKS)
def test_hidden_code_stays_folded_and_no_answer_shows_before_its_question(path):
    nb, cells = lite(path), by_id(original(path))
    for cell in nb["cells"]:
        if lite_lessons.is_static(cell) and source_hidden(cells[cell["id"][: -len("-static")]]):
            shown = FOLD.sub(" ", text(cell["source"]))
            assert "```python" not in shown and "<summary>The code</summary>" in text(
                cell["source"]
            )
    assert early_answers(nb) == []


def test_a_widget_cell_that_needs_keras_is_refused_by_name():
    nb = notebook(
        code_cell("model = keras.Sequential()", "build"),
        code_cell('paramlab.Quiz("How many?", model.count_params())', "quiz-1"),
    )
    with pytest.raises(
        ValueError,
        match=r"^The browser edition would show lesson\.ipynb's cell quiz-1 as a static copy, "
        r"but it shows paramlab\.Quiz, which must run live there: the cell needs `model`, which "
        r"the browser lacks \(a module it has not, or a name bound by a cell that runs only in "
        r"the full course\)\. Received: notebook='lesson\.ipynb', cell='quiz-1', name='model'$",
    ):
        lite_lessons.lite_notebook(nb, "lesson.ipynb")


def test_a_predict_may_reveal_with_keras_but_nothing_may_call_keras_at_top_level():
    reveal = "def count():\n    return keras.layers.Dense(3).count_params()\n\n\n"
    nb = notebook(
        code_cell(reveal + 'paramlab.Predict("How many?", count, unit="parameters")', "pos"),
        code_cell('paramlab.Predict("How many?", reveal=count)', "keyword"),
        code_cell('paramlab.Predict("How many?", lambda: keras.layers.Dense(3))', "lambda"),
        code_cell("n = count()", "called"),
        code_cell("def f(x=keras.ops.ones(3)):\n    return x", "default"),
        code_cell("@keras.saving.register_keras_serializable()\ndef g():\n    pass", "decorator"),
        code_cell("def h():\n    return count()\n\n\nprint(h)", "uses-deferred"),
        code_cell("inputs = keras.Input((4,))", "lacking"),
        code_cell("total = sum(units * (inputs + 1) for units, inputs in [(3, 4)])", "scope"),
        code_cell("print(inputs)", "lacking-too"),
        code_cell("inputs += 1", "read-by-augmented"),
        code_cell("for row in [1]:\n    inputs = row\nprint(inputs)", "bound-again"),
        code_cell("print(paramlab.explain)", "bridge"),
        code_cell("from paramlab import formulas\nformulas.dense(3, 4)", "core"),
    )
    got = kinds(lite_lessons.lite_notebook(nb, "x.ipynb"))
    assert got == {
        "setup": "live",
        "pos": "live",
        "keyword": "live",
        "lambda": "live",
        "called": "static",
        "default": "static",
        "decorator": "static",
        "uses-deferred": "static",
        "lacking": "static",
        "scope": "live",
        "lacking-too": "static",
        "read-by-augmented": "static",
        "bound-again": "live",
        "bridge": "static",
        "core": "live",
    }
    called = code_cell('paramlab.Predict("How many?", count, explain=str(count()))', "called")
    nb["cells"].append(called)
    with pytest.raises(
        ValueError, match=r"Received: notebook='x\.ipynb', cell='called', name='count'$"
    ):
        lite_lessons.lite_notebook(nb, "x.ipynb")


def test_the_set_up_cell_loses_what_needs_keras_and_keeps_its_exact_text():
    setup = code_cell(
        "import paramlab\n\n"
        "paramlab.setup_notebook(seed=0)  # must run first\n\n"
        "import math\n"
        "import numpy as np  # arrays\n\n"
        "import keras\n"
        "from keras import layers\n\n"
        "from paramlab import formulas\n\n"
        "# Which Keras\n"
        'print("keras", keras.__version__)\n\n\n'
        "def build(shape):\n"
        '    """A layer built on `shape`."""\n'
        "    return layers.Dense(3)(keras.Input(shape))\n",
        "first",
        [{"output_type": "stream", "name": "stdout", "text": "keras 3.15.1\n"}],
        slideshow={"slide_type": "skip"},
    )
    nb = {"cells": [setup], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    live, shown = lite_lessons.lite_notebook(nb, "lesson.ipynb")["cells"][1:]
    assert text(live["source"]) == (
        "# The browser edition tells paramlab which lesson records your answers.\n"
        "import os\n"
        'os.environ["JPY_SESSION_NAME"] = "lesson.ipynb"\n\n'
        "import paramlab\n\n"
        "paramlab.setup_notebook(seed=0)  # must run first\n\n"
        "import math\n\n"
        "from paramlab import formulas\n\n\n"
        "def build(shape):\n"
        '    """A layer built on `shape`."""\n'
        "    return layers.Dense(3)(keras.Input(shape))"
    )
    assert live["outputs"] == [] and live["id"] == "first"
    assert text(shown["source"]) == (
        f"{lite_cells.SHOWN}\n\n"
        '```python\n# Which Keras\nprint("keras", keras.__version__)\n```\n\n'
        "```text\nkeras 3.15.1\n```\n"
    )
    assert shown["id"] == "first-static" and shown["metadata"]["slideshow"]["slide_type"] == "skip"


def test_a_static_cell_renders_each_output_as_jupyterlab_shows_it():
    fence = "an output that prints a fence:\n```\nand ````` five\n"
    outputs = [
        {"output_type": "stream", "name": "stdout", "text": "one "},
        {"output_type": "stream", "name": "stdout", "text": ["two\n"]},
        {"output_type": "stream", "name": "stderr", "text": fence},
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {
                "application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2},
                "text/html": "<div>the explorer's stand-in</div>",
                "text/plain": "DenseExplorer(...)",
            },
        },
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
        },
        {"output_type": "execute_result", "metadata": {}, "execution_count": 3,
         "data": {"text/plain": "7850"}},
    ]  # fmt: skip
    cell = code_cell("x = keras.ops.ones(3)\nx", "c1", outputs, tags=["solution"])
    cell["metadata"]["jupyter"] = {"source_hidden": True}
    made = lite_cells.static_cell(cell)
    assert text(made["source"]) == (
        f"{lite_cells.SHOWN}\n\n"
        "<details><summary>The code</summary>\n\n"
        "```python\nx = keras.ops.ones(3)\nx\n```\n\n</details>\n\n"
        "```text\none two\n```\n\n"
        f"``````text\n{fence}``````\n\n"
        "<div>the explorer's stand-in</div>\n\n"
        "![output-3.png](attachment:output-3.png)\n\n"
        "```text\n7850\n```\n"
    )
    assert made["attachments"] == {"output-3.png": {"image/png": "iVBORw0KGgo="}}
    assert made["metadata"]["tags"] == ["solution"] and "jupyter" not in made["metadata"]
    nbformat.validate(nbformat.from_dict(notebook() | {"cells": [made]}))
    silent = lite_cells.static_cell(code_cell("import keras", "c2"))
    assert text(silent["source"]).startswith(lite_cells.SILENT + "\n\n```python\nimport keras")


def test_the_conversion_is_deterministic_and_writes_each_lesson_under_its_name(tmp_path):
    path = ROOT / "notebooks" / "01_dense.ipynb"
    once = lite_lessons.dumps(lite_lessons.lite_notebook(original(path), path.name))
    assert lite_lessons.dumps(lite_lessons.lite_notebook(original(path), path.name)) == once
    source = tmp_path / "notebooks"
    source.mkdir()
    for course in course_notebooks():  # the capstone as a copy of 01 until it converts
        src = path if course.stem == "07_capstone" else course
        (source / course.name).write_bytes(src.read_bytes())
    first = lite_lessons.write_lessons(tmp_path / "a", source, remote=REMOTE, ref=REF)
    again = lite_lessons.write_lessons(tmp_path / "b", source, remote=REMOTE, ref=REF)
    assert [p.name for p in first] == [p.name for p in course_notebooks()]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]


BLOCK = """\
import sys

BLOCKED = {"numpy", "matplotlib", "keras", "tensorflow", "scipy", "PIL", "ipympl", "torch"}


class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"No module named {name!r} (blocked: the browser has none)")
        return None


sys.meta_path.insert(0, Blocked())
"""
RUN = """\
import json
for index, source in enumerate(json.load(open(sys.argv[1]))):
    exec(compile(source, f"<live cell {index}>", "exec"), namespace)
"""


@pytest.mark.parametrize("stem", [path.stem for path in course_notebooks()])
def test_the_live_cells_run_without_numpy_matplotlib_or_keras(stem, tmp_path):
    cells = [text(c["source"]) for c in code_cells(lite(ROOT / "notebooks" / f"{stem}.ipynb"))]
    (tmp_path / "cells.json").write_text(json.dumps(cells))
    script = BLOCK + "namespace = {'__name__': '__main__'}\n" + RUN
    env = {**os.environ, "PARAMLAB_PROGRESS": str(tmp_path / "progress.json")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cells.json")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]  # e.g. a guarded Keras check


def test_the_set_up_cell_names_the_full_course_when_it_has_a_public_remote():
    """Explorers and Predicts link to the same notebook on Binder, from the remote named here."""
    first = course_notebooks()[0]
    nb = original(first)
    remote = "git@github.com:example/paramlab.git"
    converted = lite_lessons.lite_notebook(nb, first.name, remote=remote, ref="course")
    tree = ast.parse(text(code_cells(converted)[0]["source"]))
    namespace: dict = {"os": type("os", (), {"environ": {}})}
    for stmt in tree.body[1:3]:
        exec(ast.unparse(stmt), namespace)
    assert namespace["os"].environ == {
        "JPY_SESSION_NAME": first.name,
        links.REMOTE_ENV: remote,
        links.REF_ENV: "course",
    }
    assert links.full_course_link(first.name, namespace["os"].environ).startswith(
        "https://mybinder.org/v2/gh/example/paramlab/course?"
    )
