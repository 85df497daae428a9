"""What a learner sees of a notebook before doing anything, and which question's answer is
already on screen before it is asked: the reading behind tests/test_no_answer_before.py, shared
with the browser edition's test (tests/test_lite_lessons.py).

The answers are read from the questions themselves: each question's stored output carries the
key of every figure it asks for (`paramlab.core.answer_key`, written by `make notebooks`).
"""

from __future__ import annotations

import html
import re

from paramlab.core.answer_key import SMALL, answer_key, numbers_in
from paramlab.ui._stand_in import STAND_IN_KEY
from tools.notebook_parts import source_hidden

FOLD = re.compile(r"<details\b.*?</details>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def seen_in_output(output: dict) -> str:
    """What a learner reads of one output: its plain text, or its HTML without the tags."""
    if output.get("output_type") == "stream":
        return text(output.get("text", ""))
    data = output.get("data", {})
    if "text/plain" in data:
        return text(data["text/plain"])
    if "text/html" in data:
        return html.unescape(TAG.sub(" ", text(data["text/html"])))
    return ""


def seen_in_cell(cell: dict) -> str:
    """What a learner sees of a cell before doing anything: folds stay closed, hidden code
    shows its first line."""
    source = text(cell["source"])
    if cell["cell_type"] == "markdown":
        return FOLD.sub(" ", source)
    if cell["cell_type"] != "code":
        return ""
    shown = source.split("\n", 1)[0] if source_hidden(cell) else source
    return "\n".join([shown, *(seen_in_output(o) for o in cell.get("outputs", []))])


def questions_in(cell: dict) -> list[dict]:
    return [
        o["metadata"][STAND_IN_KEY]["question"]
        for o in cell.get("outputs", [])
        if "question" in o.get("metadata", {}).get(STAND_IN_KEY, {})
    ]


def early_answers(nb: dict) -> list[str]:
    """Each question whose answer was on screen before it, and where."""
    seen: list[tuple[int, set[int]]] = []  # cell index, the numbers it shows
    found = []
    for index, cell in enumerate(nb["cells"]):
        for question in questions_in(cell):
            keys = set(question["answer_keys"])
            for where, numbers in seen:
                for number in sorted(numbers):
                    if number >= SMALL and answer_key(question["text"], number) in keys:
                        found.append(
                            f"{question['kind']} {question['text'][:60]!r} (cell {index}): its "
                            f"answer {number:,} is shown in cell {where}"
                        )
        seen.append((index, numbers_in(seen_in_cell(cell))))
    return found
