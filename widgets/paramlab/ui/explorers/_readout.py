"""What an explorer read (`Reading`) and how it is written: plain lines for `explorer.text`, and
HTML that wraps only between terms, never inside one.

Numbers are written one way: every count of four digits or more gets thousands separators
(`1,024`), except a Keras argument written as code (`units=1024`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from paramlab.core._style import BLUE, GREY_TEXT, VERMILLION_TEXT
from paramlab.core.terms import Breakdown, fmt

NOWRAP = "white-space:pre"  # keeps its spaces and never breaks


@dataclass(frozen=True)
class Reading:
    """What an explorer computed for the current control values, and the Keras layer it means.

    `layer` builds that layer when called (it imports keras only then); `input_shape` is what
    the layer is built on.
    """

    heading: str
    breakdown: Breakdown
    layer: Callable[[], Any]
    input_shape: tuple[int | None, ...]
    extra: tuple[str, ...] = ()


_BIG = re.compile(r"(?<![\w=.,])\d{4,}(?!\w)")


_SHAPE = re.compile(r"(\((?:\d+|None|batch)(?:, (?:\d+|None|batch))*,?\))")


def commas(line: str) -> str:
    """Thousands separators for every bare number in `line`. Code is left alone: `units=1024`,
    and shapes such as `(784, 1024)`, whose commas already separate axes."""
    parts = _SHAPE.split(line)  # odd indices are shapes
    return "".join(
        part if i % 2 else _BIG.sub(lambda m: fmt(int(m.group())), part)
        for i, part in enumerate(parts)
    )


def reading_lines(reading: Reading) -> list[str]:
    """The read-out below the Keras line: the layer, the formula, each weight, the totals."""
    b = reading.breakdown
    lines = [reading.heading, f"Parameters = {b.expression}"]
    lines += [
        f"  {t.path} {t.shape}: {t.formula}" + ("" if t.trainable else "  (non-trainable)")
        for t in b.terms
    ]
    lines.append(
        f"Trainable: {fmt(b.trainable)}   Non-trainable: {fmt(b.non_trainable)}   "
        f"Total: {fmt(b.total)}"
    )
    lines += reading.extra
    return [commas(line) for line in lines]


# Never break a line beside these (inside a product, a difference, a `3 x 3` kernel) ...
_GLUE = frozenset({"*", "-", "//", "/", "x", "**"})
# ... nor right after these: `= 7,850` and `+ units` stay with what follows them.
_JOIN_NEXT = _GLUE | {"=", "+", "->"}


def segments(line: str) -> list[str]:
    """`line` cut where it may wrap: words, with the spaces between them as separate items.

    A line may break at a space outside brackets, before `=` or `+` (between terms), and after a
    keyword argument's comma (`Conv1D(filters=32, kernel_size=5, ...`); never inside a bracket
    such as `(L - k)` or `(batch, 41, 32)`, nor inside a product `5 * 45 * 32`.
    """
    parts = re.split(r"( +)", line)
    words, gaps = parts[0::2], parts[1::2]
    out: list[str] = []
    current, depth = "", 0
    for i, word in enumerate(words):
        current += word
        depth += word.count("(") + word.count("[") - word.count(")") - word.count("]")
        if i == len(gaps):
            break
        argument = depth == 1 and word.endswith(",") and ("=" in word or word.endswith("),"))
        if (
            word
            and (depth <= 0 or argument)
            and word not in _JOIN_NEXT
            and words[i + 1] not in _GLUE
        ):
            out += [current, gaps[i]]
            current = ""
        else:
            current += gaps[i]
    out.append(current)
    return out


def line_html(line: str) -> str:
    """One line as HTML: unbreakable segments joined by spaces where it may wrap."""
    return "".join(
        html.escape(part)
        if " " not in part.strip()
        else f'<span style="{NOWRAP}">{html.escape(part)}</span>'
        for part in segments(line)
        if part
    )


def block_html(lines: Sequence[str], style: str = "") -> str:
    """Lines as one block: each its own row, wrapping only between segments."""
    if not lines:
        return ""
    rows = "".join(f"<div>{line_html(line)}</div>" for line in lines)
    return f'<div style="white-space:pre-wrap;max-width:100%;overflow-x:auto;{style}">{rows}</div>'


def notes_html(notes: Sequence[str]) -> str:
    """The notes beside the controls: why a control is locked, what was changed and why."""
    return block_html(notes, f"color:{GREY_TEXT};font-size:90%;margin:2px 0")


def keras_html(line: str, agrees: bool) -> str:
    colour, weight = (BLUE, "normal") if agrees else (VERMILLION_TEXT, "bold")
    return block_html([line] if line else [], f"color:{colour};font-weight:{weight};margin:2px 0")


def readout_html(lines: Sequence[str], *, alarm: bool = False) -> str:
    colour = f"color:{VERMILLION_TEXT};font-weight:bold;" if alarm else ""
    return block_html(lines, f"{colour}font-family:monospace;line-height:1.5")
