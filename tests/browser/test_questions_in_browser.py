"""The question types beside Quiz, answered in a real browser as a learner answers them.

Choice: pick an option, click Check, read the explanation of that pick. Predict: type a
prediction, commit it, see the box locked and the real figure revealed. Each is tried in the
first notebook of the course that has one (found from the notebooks' sources).
"""

from __future__ import annotations

import json
import re

import pytest

from tools import lab_server
from tools.notebook_parts import lesson_notebooks

NOTEBOOKS = lesson_notebooks()


def first_with(call: str) -> str:
    """The first notebook of the course displaying `paramlab.<call>(`."""
    questions = re.compile(r"paramlab\.(Quiz|Choice|Predict)\(")
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        asked = [m.group(1) for s in sources if (m := questions.search(s))]
        if call in asked:
            return path.name
    raise AssertionError(f"no notebook displays paramlab.{call}(")


def question_output(page, button: str):
    """The first output of the notebook on show with a widget button labelled `button`, pinned
    by its question (a locator filtered by the button would move on once the label changes)."""
    panel = page.locator(lab_server.CURRENT)
    outputs = panel.locator(".jp-OutputArea-output").filter(
        has=page.locator(".jupyter-widgets button", has_text=button)
    )
    question = outputs.first.locator(".widget-html-content b").first.text_content()
    return panel.locator(".jp-OutputArea-output").filter(has_text=question).first


def wait_for_text(output, pattern: str, timeout_ms: int = 15_000) -> str:
    text = ""
    for _ in range(timeout_ms // 250):
        text = output.inner_text()
        if re.search(pattern, text):
            return text
        output.page.wait_for_timeout(250)
    raise AssertionError(f"{pattern!r} never appeared in:\n{text}")


@pytest.mark.parametrize(
    ("call", "name"),
    [(call, first_with(call).removesuffix(".ipynb")) for call in ("Choice", "Predict")],
)
def test_new_question_types_answer_in_the_browser(lesson, call, name):
    page = lesson.page
    if call == "Choice":
        # Choice and Quiz both have a Check button; a Choice has radio buttons or checkboxes.
        panel = page.locator(lab_server.CURRENT)
        output = (
            panel.locator(".jp-OutputArea-output")
            .filter(has=page.locator(".widget-radio-box input, .widget-checkbox input"))
            .first
        )
        output.scroll_into_view_if_needed()
        output.locator(".widget-radio-box input, .widget-checkbox input").first.click()
        output.locator("button", has_text="Check").click()
        text = wait_for_text(output, r"(Right|Not quite|You already tried)")
        assert "Something went wrong" not in text
    else:
        output = question_output(page, "Commit and run")
        output.scroll_into_view_if_needed()
        box = output.locator("input[type=text], textarea").first
        box.fill("1000")
        output.locator("button", has_text="Commit and run").click()
        text = wait_for_text(output, r"Exactly right|too (low|high)")  # the reveal, not the prompt
        assert "Something went wrong" not in text
        assert box.is_disabled(), "the prediction can still be changed after commit"
