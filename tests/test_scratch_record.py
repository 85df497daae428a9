"""`scratch_record()`, the throw-away progress record of tools, benchmarks and the test run: it
holds a question's record while it lasts, then leaves the environment as it was and nothing on
disk; and the notebooks nbval runs under pytest record there, never in a learner's home."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from paramlab.records import _progress
from paramlab.records._progress import scratch_record
from paramlab.ui import _display
from paramlab.ui.questions.quiz import Quiz

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Scratch record: Dense(10) on 784 inputs?"


def test_questions_are_recorded_in_the_scratch_file_then_it_is_gone(monkeypatch, tmp_path):
    monkeypatch.setattr(_display, "display", lambda *args, **kwargs: None)
    monkeypatch.setenv(_progress.ENV, str(tmp_path / "learner.json"))
    with scratch_record() as path:
        assert os.environ[_progress.ENV] == str(path)
        assert path.name == "progress.json" and path.parent.is_dir()
        Quiz(QUESTION, 7850).check("7850")
        records = json.loads(path.read_text(encoding="utf-8"))["notebooks"]
        assert [q for questions in records.values() for q in questions] == [QUESTION]
    assert os.environ[_progress.ENV] == str(tmp_path / "learner.json")
    assert not path.parent.exists()
    assert not (tmp_path / "learner.json").exists()


def test_an_unset_variable_is_unset_again_even_after_an_error(monkeypatch):
    monkeypatch.delenv(_progress.ENV)
    with pytest.raises(RuntimeError, match="inside"), scratch_record() as path:
        raise RuntimeError("inside")
    assert _progress.ENV not in os.environ
    assert not path.parent.exists()


def test_the_test_session_records_in_a_temporary_place():
    """The root conftest points PARAMLAB_PROGRESS away from the real home for all of pytest."""
    chosen = Path(os.environ[_progress.ENV])
    assert chosen.name == "progress.json"
    assert chosen.parent.name.startswith("paramlab-progress-")


CHECK_IN_KERNEL = f"""
import os
from pathlib import Path
import paramlab
from paramlab.records import _progress
_ = paramlab.Quiz({QUESTION!r}, 7850).check("7850")
chosen = Path(os.environ["PARAMLAB_PROGRESS"])
assert chosen.parent.name.startswith("paramlab-progress-"), chosen
assert _progress.progress_path() == chosen
assert {QUESTION!r} in str(_progress.store().records())
"""


def test_a_notebook_under_nbval_records_in_the_scratch_file(tmp_path):
    """nbval's kernel is a subprocess of pytest: it inherits the record the root conftest set
    (nbval's cells request no fixtures, so only a hook can set it), and the learner's home,
    here a temporary HOME, gets no .paramlab."""
    home = tmp_path / "home"
    home.mkdir()
    folder = ROOT / "build" / "tests" / f"scratch-{uuid.uuid4().hex[:8]}"  # under the root
    folder.mkdir(parents=True)
    notebook = folder / "scratch_check.ipynb"
    cell = new_code_cell(CHECK_IN_KERNEL.strip(), execution_count=1)
    nbformat.write(new_notebook(cells=[cell]), notebook)
    env = {k: v for k, v in os.environ.items() if k != _progress.ENV}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", notebook],
            cwd=ROOT,
            env={**env, "HOME": str(home)},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        shutil.rmtree(folder)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "1 passed" in done.stdout
    assert not (home / ".paramlab").exists()
