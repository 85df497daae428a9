"""What a browser-edition lesson runs of paramlab (not the pictures) works with numpy,
matplotlib, keras, tensorflow, scipy, PIL and ipympl blocked, as in Pyodide: the package and its
formula core import, every explorer answers a control from the formula core and says that the
Keras check runs in the full course, a Quiz checks and records (wrong, then right), a Predict
computed by Keras reveals its `formula=` figure and says so, and `paramlab.progress()` shows the
record. One subprocess (the block must be in place before anything imports).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

BLOCKED = ("numpy", "matplotlib", "keras", "tensorflow", "scipy", "PIL", "ipympl")

BLOCK = f"""
import sys

BLOCKED = {set(BLOCKED)!r}


class Block:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ImportError(f"No module named {{name!r}} (blocked, as in the browser)")
        return None


sys.meta_path.insert(0, Block())
"""

LESSON = """
import json
import os

os.environ["JPY_SESSION_NAME"] = "01_dense.ipynb"  # as the lite lesson's set-up cell does

import paramlab
from paramlab import formulas

paramlab.setup_notebook(seed=0)
out = {"explorers": {}}
for name in [
    "DenseExplorer",
    "Conv1DExplorer",
    "Conv2DExplorer",
    "RecurrentExplorer",
    "BatchNormExplorer",
    "TransformerExplorer",
]:
    explorer = getattr(paramlab, name)()
    before = explorer.text
    control = next(c for c in explorer.controls.values() if hasattr(c, "max") and not c.disabled)
    control.value = control.value + 1 if control.value < control.max else control.min
    out["explorers"][name] = [before, explorer.text]

quiz = paramlab.Quiz("Dense(10) on 784 inputs: how many parameters?", formulas.dense(10, 784))
quiz.answer_box.value = "7840"
out["quiz"] = [quiz.feedback]
quiz.answer_box.value = "7850"
out["quiz"].append(quiz.feedback)


def keras_count():
    from keras import layers

    return layers.Dense(32).count_params()


predict = paramlab.Predict(
    "Dense(32) on a sequence of shape (None, 12, 20): how many parameters?",
    keras_count,
    unit="parameters",
    formula=formulas.dense(32, 20).total,
)
predict.prediction_box.value = "20 * 32"
predict.button.click()
out["predict"] = predict.feedback
out["progress"] = str(paramlab.progress())
out["loaded"] = sorted({m.partition(".")[0] for m in sys.modules} & BLOCKED)
print(json.dumps(out))
"""


def run_lesson(tmp_path: Path) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "PARAMLAB_PROGRESS": str(tmp_path / "progress.json"),
    }
    code = textwrap.dedent(BLOCK) + textwrap.dedent(LESSON)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_lite_lesson_runs_without_numpy_matplotlib_or_keras(tmp_path):
    out = run_lesson(tmp_path)
    assert out["loaded"] == []
    elsewhere = "The Keras check runs in the full course (Keras is not in this browser edition)"
    for name, (before, after) in out["explorers"].items():
        assert before != after, name
        assert any(line.startswith(elsewhere) for line in after.splitlines()), (name, after)
        assert "`make lab`" in after and "Something went wrong" not in after, name
    assert out["quiz"][0].startswith("Not quite: 7,840. That leaves out the bias")
    assert out["quiz"][1].startswith("Right: 7,850.")
    assert out["predict"].splitlines()[1:] == [
        "The real figure: 672 parameters.",
        "Your prediction is 32 too low (5% below the real figure).",
        "This figure is paramlab's formula; the full course computes it with Keras.",
    ]
    record = json.loads((tmp_path / "progress.json").read_text())["notebooks"]["01_dense.ipynb"]
    quiz = record["Dense(10) on 784 inputs: how many parameters?"]
    assert (quiz["attempts"], quiz["solved"], quiz["slips"]) == (
        2,
        True,
        {"the forgotten bias": 1},
    )
    assert out["progress"].startswith("paramlab progress: 2 of 2 questions solved")
    assert "01_dense.ipynb       2     0              0  the forgotten bias (1)" in out["progress"]
    assert not (tmp_path / "home").exists()  # the record went where PARAMLAB_PROGRESS says
