"""`paramlab.room(folder)`: a room's progress records, generated here with known counts, read
back into per-question tallies, text, HTML and a bar chart."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import paramlab
from paramlab.core._style import PALETTE
from paramlab.core.slips import FORGOTTEN_BIAS, FORGOTTEN_CHANNELS
from paramlab.records.room_report import Room, RoomWarning
from paramlab.ui.questions.choice import INCOMPLETE

DENSE, CONV = "01_dense.ipynb", "02_conv1d_vs_conv2d.ipynb"
Q1 = (
    "1. A Dense(300) layer reads the output of a Dense(100). How many parameters does the "
    "Dense(300) have?"
)
Q2 = "4. Dense(10) on a (None, 7, 7, 64) tensor: what is its output shape?"
Q3 = "2. Conv2D(48, (3, 3)) right after a Conv2D with 36 filters: how many parameters?"
Q4 = "What is a parameter?"
WRONG_SHAPE = "(None, 10)"


def record(kind: str, attempts: int = 0, solved: bool = False, slips: dict | None = None):
    return {
        "kind": kind,
        "shown": True,
        "attempts": attempts,
        "solved": solved,
        "slips": slips or {},
        "prediction": None,
        "actual": None,
    }


def write(path: Path, notebooks: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "notebooks": notebooks}), encoding="utf-8")


@pytest.fixture
def folder(tmp_path) -> Path:
    """Four learners, gathered three ways, plus a corrupt file, a version-2 file, a note."""
    write(
        tmp_path / "ada.json",
        {
            DENSE: {
                Q1: record("Quiz", 3, True, slips={FORGOTTEN_BIAS: 2}),
                Q2: record("Choice", 1, False, slips={WRONG_SHAPE: 1}),
            },
            CONV: {Q3: record("Quiz", 1, True)},
        },
    )
    write(
        tmp_path / "bo" / "progress.json",
        {  # this learner began with notebook 02
            CONV: {Q3: record("Quiz", 2, True, slips={FORGOTTEN_CHANNELS: 1})},
            DENSE: {Q1: record("Quiz", 2, True, slips={FORGOTTEN_BIAS: 1})},
        },
    )
    write(
        tmp_path / "cy" / ".paramlab" / "progress.json",
        {
            "unknown notebook": {Q4: record("Quiz", 1, True)},
            DENSE: {Q1: record("Quiz", 1, True), Q2: record("Choice")},
        },
    )
    write(
        tmp_path / "dee.json",
        {
            DENSE: {
                Q1: record("Quiz", 4, False, slips={FORGOTTEN_BIAS: 2, FORGOTTEN_CHANNELS: 1}),
                Q2: record("Choice", 2, True, slips={WRONG_SHAPE: 1, INCOMPLETE: 1}),
            }
        },
    )
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "progress.json").write_text('{"version": 2, "notebooks": {}}')
    (tmp_path / "notes.txt").write_text("not a record")
    return tmp_path


@pytest.fixture
def room(folder) -> Room:
    with pytest.warns(RoomWarning) as caught:
        result = paramlab.room(folder)
    assert len(caught) == 1
    return result


def test_warns_once_naming_every_skipped_file(folder):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paramlab.room(folder)
    assert len(caught) == 1 and caught[0].category is RoomWarning
    message = str(caught[0].message)
    assert message.startswith(f"paramlab.room skipped 2 files under {folder} that are not")
    assert "bad.json (JSONDecodeError" in message
    assert "old/progress.json (ValueError: not a version-1 paramlab progress record)" in message
    assert "notes.txt" not in message


def test_learners_and_skipped_files(room):
    assert room.learners == ("ada", "bo", "cy", "dee")
    assert room.skipped == ("bad.json", "old/progress.json")


def test_questions_in_order_notebook_then_first_met(room):
    assert [(q.notebook, q.question) for q in room.questions] == [
        (DENSE, Q1),
        (DENSE, Q2),
        (CONV, Q3),
        ("unknown notebook", Q4),
    ]
    assert room.notebooks == (DENSE, CONV, "unknown notebook")


@pytest.mark.parametrize(
    ("question", "kind", "seen", "attempted", "solved", "attempts", "slips"),
    [
        (Q1, "Quiz", 4, 4, 3, 10, [(FORGOTTEN_BIAS, 3, 5), (FORGOTTEN_CHANNELS, 1, 1)]),
        (Q2, "Choice", 3, 2, 1, 3, [(WRONG_SHAPE, 2, 2), (INCOMPLETE, 1, 1)]),
        (Q3, "Quiz", 2, 2, 2, 3, [(FORGOTTEN_CHANNELS, 1, 1)]),
        (Q4, "Quiz", 1, 1, 1, 1, []),
    ],
)
def test_every_count(room, question, kind, seen, attempted, solved, attempts, slips):
    q = room.question(question)
    assert (q.kind, q.seen, q.attempted, q.solved, q.attempts) == (
        kind,
        seen,
        attempted,
        solved,
        attempts,
    )
    assert [(s.slip, s.learners, s.times) for s in q.slips] == slips
    for name, learners, times in slips:
        assert (q.slip(name).learners, q.slip(name).times) == (learners, times)


def test_labels(room):
    assert [q.label for q in room.questions] == [
        "01 · 1. A Dense(300) layer reads the output…",
        "01 · 4. Dense(10) on a (None, 7, 7, 64)…",
        "02 · 2. Conv2D(48, (3, 3)) right after a…",
        "unknown notebook · What is a parameter?",
    ]


def test_text(room):
    assert str(room) == "\n".join(
        [
            "paramlab room: 4 learners, 4 questions in 3 notebooks; 2 files skipped",
            "",
            DENSE,
            f"  {Q1}",
            "    4 learners saw it, 4 attempted it, 3 solved it; 10 attempts",
            "    slips, learners (times): "
            "the forgotten bias: 3 (5); the forgotten input channels: 1 (1)",
            f"  {Q2}",
            "    3 learners saw it, 2 attempted it, 1 solved it; 3 attempts",
            "    slips, learners (times): (None, 10): 2 (2); a right option left out: 1 (1)",
            "",
            CONV,
            f"  {Q3}",
            "    2 learners saw it, 2 attempted it, 2 solved it; 3 attempts",
            "    slips, learners (times): the forgotten input channels: 1 (1)",
            "",
            "unknown notebook",
            f"  {Q4}",
            "    1 learner saw it, 1 attempted it, 1 solved it; 1 attempt",
            "    slips, learners (times): none",
            "",
            "Skipped (not version-1 progress records):",
            "  bad.json",
            "  old/progress.json",
        ]
    )


def test_html(room):
    page = room._repr_html_()
    assert page.startswith('<div class="paramlab-room">')
    assert "<b>paramlab room: 4 learners, 4 questions in 3 notebooks; 2 files skipped</b>" in page
    assert page.count("<table") == 3 and page.count("<tr>") == 3 + 4
    assert "<th style='text-align:left;padding:0.1em 0.6em'>Question</th>" in page
    assert f"<td style='text-align:left;padding:0.1em 0.6em'>{Q1}</td>" in page
    assert "<td style='text-align:right;padding:0.1em 0.6em'>10</td>" in page
    assert "the forgotten bias: 3 (5); the forgotten input channels: 1 (1)" in page
    assert "<li>old/progress.json</li>" in page


def test_plot_one_group_per_question_bars_as_long_as_learners(room):
    fig = room.plot()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [
        room.questions[0].label,
        FORGOTTEN_BIAS,
        FORGOTTEN_CHANNELS,
        room.questions[1].label,
        WRONG_SHAPE,
        INCOMPLETE,
        room.questions[2].label,
        FORGOTTEN_CHANNELS,
        room.questions[3].label,
        "no slips",
    ]
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == [q.label for q in room.questions]
    headers = [y for y, t in zip(ax.get_yticks(), labels, strict=True) if t in bold] + [1e9]
    bars = [p for p in ax.patches if p.get_gid()]
    found = {}
    for bar in bars:
        index, slip = bar.get_gid().split(":", 1)
        middle = bar.get_y() + bar.get_height() / 2
        group = next(i for i in range(len(headers)) if headers[i + 1] > middle)
        assert group == int(index), "a bar sits in another question's group"
        found.setdefault(group, []).append((slip, bar.get_width()))
    assert found == {
        0: [(FORGOTTEN_BIAS, 3), (FORGOTTEN_CHANNELS, 1)],
        1: [(WRONG_SHAPE, 2), (INCOMPLETE, 1)],
        2: [(FORGOTTEN_CHANNELS, 1)],
    }
    colour = {bar.get_gid(): bar.get_facecolor() for bar in bars}
    assert colour[f"0:{FORGOTTEN_CHANNELS}"] == colour[f"2:{FORGOTTEN_CHANNELS}"]
    assert len(set(colour.values())) == 4
    assert colour[f"0:{FORGOTTEN_BIAS}"] == to_rgba(PALETTE[0])
    assert [t.get_text() for t in ax.texts] == ["3 (5 times)", "1 (1 time)", "2 (2 times)"] + [
        "1 (1 time)"
    ] * 2
    assert ax.get_xlim() == (0, 5.0)  # the room's 4 learners, and room for the counts
    assert ax.get_xlabel() == "learners who made the slip (of 4)" and ax.get_ylabel()
    width, height = fig.get_size_inches()
    assert width == 7.0 and 2.2 <= height <= 10


def test_an_empty_folder(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        empty = paramlab.room(tmp_path)
    assert (empty.learners, empty.questions, empty.skipped) == ((), (), ())
    assert str(empty) == "paramlab room: no progress files found."
    assert isinstance(empty.plot(), Figure)


def test_not_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"not a folder\. Received: folder='.*missing'"):
        paramlab.room(tmp_path / "missing")


def test_the_function_after_importing_its_module(folder):
    code = (
        "import sys, warnings, paramlab.records.room_report, paramlab\n"
        "warnings.simplefilter('ignore')\n"
        "print(paramlab.room(sys.argv[1]).learners)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "('ada', 'bo', 'cy', 'dee')"
