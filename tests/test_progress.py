"""The learner's record of the questions: written on every attempt, read again by a new kernel,
never in the way of a question (no home, a read-only place, a corrupt file), and shown by
`paramlab.progress()`. No test here touches the real home."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest

import paramlab
from paramlab.core import formulas as F
from paramlab.core.slips import FORGOTTEN_BIAS
from paramlab.records import _progress
from paramlab.records._progress import ProgressWarning, QuestionRecord, Store
from paramlab.records.progress_report import ProgressReport, progress
from paramlab.ui import _display
from paramlab.ui.questions.choice import INCOMPLETE, Choice
from paramlab.ui.questions.predict import TOO_LOW, Predict
from paramlab.ui.questions.quiz import Quiz

NOTEBOOK = "01_dense.ipynb"
CONV1D = "Conv1D(32, 5) on a 45x45 grey image: how many parameters?"
STRIDES = "Which of these change Conv1D's parameter count?"
OPTIONS = [
    ("strides", False, "Strides move the window; the kernel is the same."),
    ("padding", False, "Padding adds steps to the input, not weights."),
    ("filters", True, "Each filter has its own kernel and bias."),
    ("kernel_size", True, "A longer window has more weights."),
]
PREDICT = "Predict: Conv1D(32, 5) on 45 channels"


@pytest.fixture
def path(tmp_path, monkeypatch) -> Path:
    """A fresh kernel's view of a record in `tmp_path`, in notebook 01_dense.ipynb."""
    file = tmp_path / "progress.json"
    monkeypatch.setenv(_progress.ENV, str(file))
    monkeypatch.setenv("JPY_SESSION_NAME", f"/home/ada/course/{NOTEBOOK}")
    monkeypatch.setitem(sys.modules, "IPython", SimpleNamespace(get_ipython=lambda: None))
    new_kernel(monkeypatch)
    return file


def new_kernel(monkeypatch) -> None:
    """What a kernel restart forgets: its stores (and memory) and the warnings it gave."""
    monkeypatch.setattr(_progress, "_STORES", {})
    monkeypatch.setattr(_progress, "_WARNED", set())


def in_notebook(monkeypatch, name: str) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", f"/home/ada/course/{name}")


def no_display(monkeypatch) -> None:
    monkeypatch.setattr(_display, "display", lambda *args, **kwargs: None)


def progress_warnings(action) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
    return [w for w in caught if issubclass(w.category, ProgressWarning)]


def answer_everything() -> tuple[Quiz, Choice, Predict]:
    quiz = Quiz(CONV1D, F.conv1d(32, 5, 45))
    assert quiz.check("7200").startswith("Not quite: 7,200. That leaves out the bias")
    quiz.check("7200")  # the same answer again: not an attempt
    quiz.check("1")  # wrong, but no named slip
    assert quiz.check("5*45*32 + 32").startswith("Right: 7,232.")
    choice = Choice(STRIDES, OPTIONS, multiple=True)
    choice.check(["strides", "filters"])
    choice.check(["filters"])
    assert choice.check(["filters", "kernel_size"]).startswith("Right")
    predict = Predict(PREDICT, 7232, unit="parameters")
    predict.prediction_box.value = "5*5*32 + 32"
    assert "The real figure: 7,232 parameters." in predict.commit()
    return quiz, choice, predict


EVERYTHING = {
    # the second wrong try showed the answer, so the record says so beside the solve
    CONV1D: QuestionRecord(
        "Quiz", attempts=3, solved=True, slips={FORGOTTEN_BIAS: 1}, answer="7,232", revealed=True
    ),
    STRIDES: QuestionRecord(
        "Choice",
        attempts=3,
        solved=True,
        slips={'picked "strides"': 1, INCOMPLETE: 1},
        answer="filters, kernel_size",
    ),
    PREDICT: QuestionRecord(
        "Predict", attempts=1, solved=True, slips={TOO_LOW: 1}, prediction="832", actual="7232"
    ),
}


def test_answering_writes_the_record(path):
    assert not path.exists()
    answer_everything()
    assert Store(path).records() == {NOTEBOOK: EVERYTHING}


def test_the_file_format(path):
    Quiz(CONV1D, F.conv1d(32, 5, 45)).check("7200")
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "version": 1,
        "notebooks": {
            NOTEBOOK: {
                CONV1D: {
                    "kind": "Quiz",
                    "shown": False,
                    "attempts": 1,
                    "solved": False,
                    "slips": {"the forgotten bias": 1},
                    "prediction": None,
                    "actual": None,
                    "answer": None,
                    "revealed": False,
                }
            }
        },
    }
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no temporary left


def test_displaying_records_the_question_as_not_attempted(path, monkeypatch):
    no_display(monkeypatch)
    for question in (Quiz(CONV1D, 7232), Choice(STRIDES, OPTIONS, multiple=True)):
        question._ipython_display_()
    Predict(PREDICT, 7232)._ipython_display_()
    records = Store(path).records()[NOTEBOOK]
    assert [(r.kind, r.shown, r.status) for r in records.values()] == [
        ("Quiz", True, "not attempted"),
        ("Choice", True, "not attempted"),
        ("Predict", True, "not attempted"),
    ]


def test_a_new_kernel_sees_the_record_and_adds_to_it(path, monkeypatch):
    answer_everything()
    Quiz("Dense(10) on 784 inputs?", 7850).check("7840")
    new_kernel(monkeypatch)
    fresh = Store(path).records()  # read afresh from disk
    assert fresh[NOTEBOOK] == {
        **EVERYTHING,
        "Dense(10) on 784 inputs?": QuestionRecord("Quiz", attempts=1),
    }
    again = Quiz(CONV1D, F.conv1d(32, 5, 45))  # the same question, run again
    again.check("7200")
    record = Store(path).records()[NOTEBOOK][CONV1D]
    assert (record.attempts, record.solved, record.slips) == (4, True, {FORGOTTEN_BIAS: 2})
    assert progress().notebook(NOTEBOOK).open[0].question == "Dense(10) on 784 inputs?"


def test_the_notebook_comes_from_the_kernel_session(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setitem(sys.modules, "IPython", SimpleNamespace(get_ipython=lambda: None))
    assert _progress.current_notebook() == "unknown notebook"
    monkeypatch.setenv("JPY_SESSION_NAME", "/srv/course/notebooks/02_conv1d_vs_conv2d.ipynb")
    assert _progress.current_notebook() == "02_conv1d_vs_conv2d.ipynb"
    shell = SimpleNamespace(user_ns={"__session__": "/home/ada/03_the_cs231n_confusion.ipynb"})
    monkeypatch.setitem(sys.modules, "IPython", SimpleNamespace(get_ipython=lambda: shell))
    assert _progress.current_notebook() == "03_the_cs231n_confusion.ipynb"


def test_questions_are_kept_per_notebook(path, monkeypatch):
    Quiz(CONV1D, 7232).check("7232")
    in_notebook(monkeypatch, "03_the_cs231n_confusion.ipynb")
    Quiz(CONV1D, 7232).check("800")
    records = Store(path).records()
    assert records[NOTEBOOK][CONV1D].status == "solved"
    assert records["03_the_cs231n_confusion.ipynb"][CONV1D].status == "open"


def test_a_place_that_cannot_be_written_warns_once_and_questions_still_work(
    tmp_path, monkeypatch, path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "progress.json"  # its parent is a file: not even root can write there
    monkeypatch.setenv(_progress.ENV, str(target))
    no_display(monkeypatch)

    def answer():
        Quiz(CONV1D, 7232)._ipython_display_()
        quiz, choice, predict = answer_everything()
        assert quiz.solved and choice.solved and predict.result is not None
        assert quiz.feedback.startswith("Right: 7,232.")

    (warning,) = progress_warnings(answer)
    message = str(warning.message)
    assert f"could not save your progress to {target}" in message
    assert "The questions still work" in message
    assert "set the environment variable PARAMLAB_PROGRESS to a writable file" in message
    report = progress()
    assert not report.saved
    assert report.notebook(NOTEBOOK).questions[0].status == "solved"  # kept in memory
    assert "Not saved:" in str(report)
    assert blocker.read_text() == "not a folder"


def test_a_refused_replace_warns_once_keeps_the_record_and_saves_it_later(path, monkeypatch):
    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", refuse)
    (warning,) = progress_warnings(answer_everything)
    assert f"PermissionError: [Errno 13] Permission denied: '{path}'" in str(warning.message)
    assert list(path.parent.iterdir()) == []  # no temporary file left behind
    monkeypatch.setattr(os, "replace", real_replace)
    assert progress_warnings(lambda: Quiz("Dense(10) on 784 inputs?", 7850).check("7850")) == []
    records = Store(path).records()[NOTEBOOK]
    assert list(records) == [CONV1D, STRIDES, PREDICT, "Dense(10) on 784 inputs?"]


def test_no_home_warns_once_and_makes_no_home(tmp_path, monkeypatch, path):
    monkeypatch.delenv(_progress.ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "gone"))
    (warning,) = progress_warnings(answer_everything)
    assert str(tmp_path / "gone" / ".paramlab" / "progress.json") in str(warning.message)
    assert not (tmp_path / "gone").exists()


@pytest.mark.parametrize("text", ["{not json", '{"version": 99}', "\udcff", '{"version": 1}'])
def test_a_corrupt_file_is_kept_aside_and_a_new_record_started(path, text):
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    original = path.read_bytes()
    (warning,) = progress_warnings(lambda: Quiz(CONV1D, 7232).check("7232"))
    backup = path.with_name("progress.json.corrupt")
    assert f"could not read your progress file {path}" in str(warning.message)
    assert f"it was kept as {backup} and a new record was started" in str(warning.message)
    assert backup.read_bytes() == original
    assert list(Store(path).records()[NOTEBOOK]) == [CONV1D]


def test_a_second_corrupt_file_gets_its_own_backup(path):
    path.with_name("progress.json.corrupt").write_text("the first")
    path.write_text("[]")
    assert len(progress_warnings(lambda: Quiz(CONV1D, 7232).check("1"))) == 1
    assert path.with_name("progress.json.corrupt-2").read_text() == "[]"
    assert path.with_name("progress.json.corrupt").read_text() == "the first"


def test_a_bug_in_recording_never_breaks_a_question(path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Store, "attempted", broken)
    quiz = Quiz(CONV1D, 7232)
    (warning,) = progress_warnings(lambda: [quiz.check("1"), quiz.check("7232")])
    assert "could not record your progress (RuntimeError: boom)" in str(warning.message)
    assert quiz.solved


def test_the_environment_variable_names_a_file_or_a_folder(tmp_path, monkeypatch, path):
    nested = tmp_path / "course" / "ada" / "record.json"
    monkeypatch.setenv(_progress.ENV, str(nested))
    Quiz(CONV1D, 7232).check("7232")
    assert list(Store(nested).records()[NOTEBOOK]) == [CONV1D]
    folder = tmp_path / "shared"
    folder.mkdir()
    monkeypatch.setenv(_progress.ENV, str(folder))
    Quiz(CONV1D, 7232).check("7232")
    assert (folder / "progress.json").exists()
    assert not path.exists()


def test_the_real_home_is_never_touched(tmp_path, monkeypatch):
    """A fresh process, as a learner's kernel: importing and creating writes nothing; the
    first answer goes to $HOME/.paramlab/progress.json (here a temporary HOME)."""
    real = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".paramlab"
    before = real.exists() and sorted((p.name, p.stat().st_mtime_ns) for p in real.iterdir())
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in (_progress.ENV, "JPY_SESSION_NAME")}
    code = textwrap.dedent(
        f"""
        import os, paramlab
        quiz = paramlab.Quiz({CONV1D!r}, 7232)
        choice = paramlab.Choice("Which?", [("a", True, ""), ("b", False, "")])
        predict = paramlab.Predict("How many?", 1)
        assert os.listdir({str(home)!r}) == [], os.listdir({str(home)!r})
        quiz.check("7232")
        print(paramlab.progress())
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    file = home / ".paramlab" / "progress.json"
    assert done.stdout.endswith(f"Saved in {file}\n")
    assert list(json.loads(file.read_text())["notebooks"]) == ["unknown notebook"]
    after = real.exists() and sorted((p.name, p.stat().st_mtime_ns) for p in real.iterdir())
    assert after == before


def course(path: Path, monkeypatch) -> ProgressReport:
    """A learner part-way through: two notebooks and a question of unknown origin."""
    monkeypatch.setattr(_display, "display", lambda *args, **kwargs: None)
    answer_everything()
    Quiz("Dense(10) on 784 inputs?", 7850).check("7840")
    in_notebook(monkeypatch, "04_lstm_factor_of_four.ipynb")
    lstm = Quiz("LSTM(64) on 6 features?", F.lstm(64, 6))
    lstm.check("64*(64+6)+64")
    lstm.check("4 * (64*(64+6))")
    Choice("Which <b>gate</b> is GRU's?", OPTIONS, multiple=True)._ipython_display_()
    monkeypatch.delenv("JPY_SESSION_NAME")
    Quiz("BatchNorm(32): trainable?", 64)._ipython_display_()
    return progress()


TEXT = f"""\
paramlab progress: 3 of 7 questions solved, 2 open, 2 not attempted

Notebook                      Solved  Open  Not attempted  Slips made
01_dense.ipynb                     3     1              0  the forgotten bias (1), \
picked "strides" (1), a right option left out (1), a prediction too low (1)
04_lstm_factor_of_four.ipynb       0     1              1  the missing factor of the gates \
(LSTM's 4, GRU's 3) (1), the forgotten bias (1)
unknown notebook                   0     0              1  none

Open (attempted, not solved yet):
  01_dense.ipynb: Dense(10) on 784 inputs? (1 attempt)
  04_lstm_factor_of_four.ipynb: LSTM(64) on 6 features? (2 attempts)

Answer shown (worth another try on your own):
  01_dense.ipynb: {CONV1D} (solved after)
  04_lstm_factor_of_four.ipynb: LSTM(64) on 6 features?

Not attempted yet:
  04_lstm_factor_of_four.ipynb: Which <b>gate</b> is GRU's?
  unknown notebook: BatchNorm(32): trainable?

Predictions:
  01_dense.ipynb: {PREDICT} — you predicted 832; the real figure is 7,232.

Saved in {{path}}"""


def test_progress_as_text(path, monkeypatch):
    assert str(course(path, monkeypatch)) == TEXT.format(path=path)


def test_progress_as_html(path, monkeypatch):
    page = course(path, monkeypatch)._repr_html_()
    left, right = "text-align:left;padding:0.1em 0.6em", "text-align:right;padding:0.1em 0.6em"
    assert page.startswith(
        '<div class="paramlab-progress"><p><b>paramlab progress: 3 of 7 questions solved, '
        "2 open, 2 not attempted</b></p><table style='border-collapse:collapse'><thead><tr>"
        f"<th style='{left}'>Notebook</th><th style='{right}'>Solved</th>"
        f"<th style='{right}'>Open</th><th style='{right}'>Not attempted</th>"
        f"<th style='{left}'>Slips made</th></tr></thead><tbody>"
    )
    assert (
        f"<tr><td style='{left}'>01_dense.ipynb</td><td style='{right}'>3</td>"
        f"<td style='{right}'>1</td><td style='{right}'>0</td><td style='{left}'>the forgotten "
        "bias (1), picked &quot;strides&quot; (1), a right option left out (1), a prediction "
        "too low (1)</td></tr>"
    ) in page
    assert (
        f"<tr><td style='{left}'>unknown notebook</td><td style='{right}'>0</td>"
        f"<td style='{right}'>0</td><td style='{right}'>1</td><td style='{left}'>none</td></tr>"
        "</tbody></table>"
    ) in page
    assert (
        "<p style='margin:0.6em 0 0 0'>Not attempted yet:</p><ul><li>"
        "04_lstm_factor_of_four.ipynb: Which &lt;b&gt;gate&lt;/b&gt; is GRU&#x27;s?</li>"
        "<li>unknown notebook: BatchNorm(32): trainable?</li></ul>"
    ) in page
    assert "<b>gate</b>" not in page  # the learner's text is escaped
    assert page.endswith(f"<p><i>Saved in {path}</i></p></div>")


def test_progress_with_nothing_yet(path):
    report = paramlab.progress()
    assert isinstance(report, paramlab.ProgressReport)
    assert str(report) == (
        f"paramlab progress: no questions yet. Answer one and it appears here.\n\nSaved in {path}"
    )
    assert "<table" not in report._repr_html_()
    assert not path.exists()  # looking writes nothing


def test_progress_is_public():
    assert "progress" in paramlab.__all__ and "ProgressReport" in paramlab.__all__
    assert paramlab.progress is progress


def test_the_record_module_is_pure():
    code = (
        "import sys, paramlab.records._progress, paramlab.records.progress_report\n"
        "print([m for m in ('keras', 'tensorflow', 'ipywidgets', 'IPython') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_without_the_variable_the_record_goes_to_home(tmp_path, monkeypatch, path):
    monkeypatch.delenv(_progress.ENV)
    monkeypatch.setenv("HOME", str(tmp_path / "ada"))
    (tmp_path / "ada").mkdir()
    quiz = Quiz(CONV1D, 7232)
    assert list((tmp_path / "ada").iterdir()) == []  # creating a question writes nothing
    quiz.check("7232")
    file = tmp_path / "ada" / ".paramlab" / "progress.json"
    assert list(Store(file).records()[NOTEBOOK]) == [CONV1D]
    assert str(progress()).endswith(f"Saved in {file}")


def test_in_the_browser_edition_the_record_goes_to_the_drive(tmp_path, monkeypatch, path):
    """Under Pyodide the home folder is in memory only; JupyterLite's drive, mounted at
    `/drive` (here a folder standing in for it), keeps the record in the browser's storage."""
    drive = tmp_path / "drive"
    drive.mkdir()
    monkeypatch.delenv(_progress.ENV)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(_progress, "BROWSER_DRIVE", drive)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # never used there
    monkeypatch.setenv("JPY_SESSION_NAME", "01_dense.ipynb")  # the lesson's set-up cell sets it
    file = drive / ".paramlab-progress.json"
    assert _progress.progress_path() == file
    Quiz(CONV1D, 7232).check("7232")
    assert Store(file).records()[NOTEBOOK][CONV1D].solved
    assert not (tmp_path / "home").exists()
    assert str(progress()).endswith(f"Saved in {file}")


def test_in_the_browser_edition_the_variable_still_wins(tmp_path, monkeypatch, path):
    assert Path("/drive") == _progress.BROWSER_DRIVE  # where JupyterLite mounts its drive
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(_progress, "BROWSER_DRIVE", tmp_path / "drive")
    assert _progress.progress_path() == path
