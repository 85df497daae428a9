"""A question's answer, kept so that a test can tell whether the notebook shows it too early,
without writing the answer itself into the notebook.

Every question's stored output carries `answer_key(question, answer)` for each figure it asks
for (in its metadata, never on screen). A test reads every number a learner sees before the
question (`numbers_in`) and refuses one whose key matches: the answer on screen before it is
asked. Figures under `SMALL` are not checked: 2, 10 or 64 appear everywhere for other reasons.
Pure: the standard library only.
"""

from __future__ import annotations

import hashlib
import re

SMALL = 100
"""Answers below this are not checked: small numbers are everywhere (kernel sizes, units)."""

# 33,024 / 33024 / 33_024 / 1,234.5 — digits with thousands separators; not part of a name.
_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:[,_]\d{3})+(?![\d_])|(?<![\w.,])\d+(?![\w])")


def answer_key(question: str, answer: int) -> str:
    """A short fingerprint of `answer` to the question `question` (hex, 16 characters)."""
    return hashlib.sha256(f"{question}\n{int(answer)}".encode()).hexdigest()[:16]


def numbers_in(text: str) -> set[int]:
    """The whole numbers written in `text`, however grouped: `33,024`, `33_024`, `33024`."""
    return {int(re.sub(r"[,_]", "", match)) for match in _NUMBER.findall(text)}


def gives_away(text: str, answer: int) -> bool:
    """Whether `text` writes the figure `answer` (of `SMALL` or more) as a number."""
    return abs(answer) >= SMALL and abs(answer) in numbers_in(text)
