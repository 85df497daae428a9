"""A saved notebook shows, under each question's stand-in, what the learner did with it: read
from their progress record when JupyterLab saves the notebook (`paramlab.ui._save_hook`), so the
notebook opened again, before any cell runs, says which questions are solved and how.

The line is replaced on every save, never added twice. No keras, no ipywidgets: the Jupyter
server imports this module through the save hook.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction
from typing import Any

from paramlab.core.terms import fmt
from paramlab.records._progress import QuestionRecord, Records
from paramlab.ui._stand_in import STAND_IN_KEY

PREFIX = "Your record: "
_HTML_LINE = re.compile(r"<p class='paramlab-record'[^>]*>.*?</p>", re.DOTALL)


def _figure(text: str) -> str:
    value = Fraction(text)
    return fmt(int(value)) if value.denominator == 1 else text


def record_line(record: QuestionRecord) -> str:
    """The learner's record of one question in one line, or "" if they only saw it."""
    tries = f"{record.attempts} {'try' if record.attempts == 1 else 'tries'}"
    if record.kind == "Predict" and record.prediction is not None and record.actual is not None:
        return (
            f"{PREFIX}you predicted {_figure(record.prediction)}; "
            f"the real figure was {_figure(record.actual)}."
        )
    if record.solved:
        how = f" with {record.answer}" if record.answer else ""
        after = ", after the answer was shown" if record.revealed else ""
        return f"{PREFIX}solved{how}, in {tries}{after}."
    if record.revealed:
        return f"{PREFIX}the answer was shown after {tries}; not solved yet."
    if record.attempts:
        return f"{PREFIX}{tries}, not solved yet."
    return ""


def _lines(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def show_records(notebook: dict[str, Any], name: str, records: Records) -> int:
    """Write each question's record line into its stand-in in `notebook` (nbformat 4 JSON, the
    file `name`), replacing an older one; returns how many questions have a line."""
    mine = records.get(name, {})
    marked = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            question = (output.get("metadata") or {}).get(STAND_IN_KEY, {}).get("question")
            data = output.get("data")
            if not isinstance(question, dict) or not isinstance(data, dict):
                continue
            record = mine.get(question.get("text", ""))
            line = record_line(record) if record is not None else ""
            if "text/plain" in data:
                lines = _lines(data["text/plain"]).split("\n")
                kept = [t for t in lines if not t.startswith(PREFIX)]
                if line or kept != lines:  # untouched when there is nothing to say or undo
                    data["text/plain"] = "\n".join([*kept, line] if line else kept)
            if "text/html" in data:
                before = _lines(data["text/html"])
                page = _HTML_LINE.sub("", before)
                if line and page.endswith("</div>"):
                    tag = "<p class='paramlab-record' style='margin:0.3em 0 0 0'>"
                    page = f"{page[: -len('</div>')]}{tag}{html.escape(line)}</p></div>"
                if page != before:
                    data["text/html"] = page
            marked += bool(line)
    return marked
