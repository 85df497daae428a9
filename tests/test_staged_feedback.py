"""A learner alone: a wrong try names the slip without the figure, the figure comes after a second
wrong try or on request, no hint may write the answer, and a question met before says so when it
is shown again (from the learner's record)."""

from __future__ import annotations

import pytest

from paramlab.core import formulas as F
from paramlab.core._style import FEEDBACK_COLOURS
from paramlab.core.answer_key import answer_key, gives_away, numbers_in
from paramlab.core.slips import named_slips
from paramlab.records._progress import Store
from paramlab.ui import _display
from paramlab.ui.questions.choice import Choice
from paramlab.ui.questions.predict import ANSWER_KEY_ENV, Predict
from paramlab.ui.questions.quiz import Quiz

LAYERS = [
    F.dense(32, 100),
    F.conv1d(32, 5, 45),
    F.conv2d(64, 3, 32),
    F.lstm(64, 6),
    F.gru(64, 6),
    F.bidirectional(F.lstm(50, 768)),
    F.batch_normalization(32),
]


@pytest.fixture
def record(tmp_path, monkeypatch):
    path = tmp_path / "progress.json"
    monkeypatch.setenv("PARAMLAB_PROGRESS", str(path))
    monkeypatch.setattr(_display, "display", lambda *args, **kwargs: None)
    return path


@pytest.mark.parametrize("breakdown", LAYERS, ids=lambda b: b.family.value)
def test_a_first_wrong_try_names_the_slip_without_the_figure(breakdown, record):
    for ask in ("total", "trainable"):
        answer = getattr(breakdown, ask)
        for value, slip in named_slips(breakdown, ask).items():
            q = Quiz("How many?", breakdown, ask=ask)
            first = q.check(str(value))
            assert slip.words in first
            assert not gives_away(first.replace(f"{value:,}", ""), answer), first
            second = q.check(str(value + 1))
            assert f"The answer: {answer:,}." in second
            assert q.revealed and not q.solved


def test_the_answer_on_request(record):
    q = Quiz("Dense(10) on 784 inputs?", F.dense(10, 784))
    q.show_button.click()
    assert q.feedback.startswith("The answer: 7,850. ")
    assert q.show_button.disabled
    (saved,) = Store(record).records().values()
    assert saved["Dense(10) on 784 inputs?"].revealed
    assert q.check("7850").startswith("Right")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"hints": ("Count the bias too: 7,850 in all.",)},
            "`hints[0]` gives the answer away: it writes 7,850, which the learner should work "
            "out. Received: hints[0]='Count the bias too: 7,850 in all.'",
        ),
        (
            {"slips": {7840: "The bias makes it 7850."}},
            "`slips[7840]` gives the answer away: it writes 7,850, which the learner should work "
            "out. Received: slips[7840]='The bias makes it 7850.'",
        ),
    ],
)
def test_a_hint_that_gives_the_answer_away_is_refused(kwargs, message):
    with pytest.raises(ValueError) as caught:
        Quiz("Dense(10) on 784 inputs?", 7850, **kwargs)
    assert str(caught.value) == message


def test_numbers_are_read_however_they_are_grouped():
    assert numbers_in("33,024 or 33_024 or 33024; dense_1 (None, 45, 32)") == {33024, 45, 32}
    assert not gives_away("kernel (5, 45, 32)", 32)  # small figures are everywhere


def test_coming_back_says_what_happened_before(record):
    first = Quiz("Conv1D(32, 5) on 45x45?", F.conv1d(32, 5, 45))
    first.check("7200")
    first.check("7232")
    again = Quiz("Conv1D(32, 5) on 45x45?", F.conv1d(32, 5, 45))
    again._ipython_display_()
    assert again.feedback == (
        "You solved this before with 7,232, in 2 tries. Try it again if you like."
    )
    open_one = Quiz("Dense(3) on 4?", 15)
    open_one.check("12")
    back = Quiz("Dense(3) on 4?", 15)
    back._ipython_display_()
    assert back.feedback == "You tried this before (1 try, not solved yet). Try again."
    predict = Predict("Conv1D on 45x45?", 7232, unit="parameters")
    predict.prediction_box.value = "800"
    predict.commit()
    shown = Predict("Conv1D on 45x45?", 7232, unit="parameters")
    shown._ipython_display_()
    assert shown.feedback == (
        "Last time you predicted 800 parameters; the real figure was 7,232 parameters. "
        "Predict again if you like."
    )
    fresh = Quiz("Never seen?", 3)
    fresh._ipython_display_()
    assert fresh.feedback == ""


def test_a_predicts_figure_is_keyed_only_when_the_course_is_stored(monkeypatch):
    calls = []

    def reveal() -> int:
        calls.append(1)
        return 7232

    p = Predict("Conv1D?", reveal)
    monkeypatch.delenv(ANSWER_KEY_ENV, raising=False)
    assert p.answer_keys() == [] and not calls
    monkeypatch.setenv(ANSWER_KEY_ENV, "1")
    assert p.answer_keys() == [answer_key("Conv1D?", 7232)]
    assert Predict("n?", 640).answer_keys() == [answer_key("n?", 640)]


def test_a_choice_colours_each_pick_by_its_own_verdict(record):
    choice = Choice(
        "Which change Conv1D's count?",
        [
            ("filters", True, "Each filter has its own kernel."),
            ("strides", False, "The window moves; the kernel stays."),
            ("kernel_size", True, "A longer window has more weights."),
        ],
        multiple=True,
    )
    choice.check(["filters", "strides"])
    html = choice._feedback.value
    right_line = html.index("filters: right.")
    wrong_line = html.index("strides: not right.")
    colour = {tone: f"color:{FEEDBACK_COLOURS[tone]}" for tone in ("right", "wrong")}
    assert html.rfind(colour["right"], 0, right_line) > html.rfind(colour["wrong"], 0, right_line)
    assert html.rfind(colour["wrong"], 0, wrong_line) > html.rfind(colour["right"], 0, wrong_line)


def test_the_answer_box_is_wide_enough_for_its_placeholder():
    box = Quiz("?", 3).answer_box
    assert len(box.placeholder) <= 42 and box.layout.width == "30em"


def test_a_choice_between_counts_keys_its_right_figure():
    counts = Choice("Conv1D(32, 5) on 45x45?", [("7,232 parameters", True, ""), ("832", False, "")])
    assert counts.answer_keys() == [answer_key("Conv1D(32, 5) on 45x45?", 7232)]
    shapes = Choice("Output?", [("(None, 218, 218, 10)", True, ""), ("(None, 10)", False, "")])
    assert shapes.answer_keys() == []


def test_progress_lists_the_answers_shown(record):
    from paramlab.records.progress_report import progress

    q = Quiz("Dense(10) on 784 inputs?", F.dense(10, 784))
    q.show_answer()
    q.check("7850")
    sections = dict(progress().sections())
    assert sections["Answer shown (worth another try on your own):"] == [
        "unknown notebook: Dense(10) on 784 inputs? (solved after)"
    ]
