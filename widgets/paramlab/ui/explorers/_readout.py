"""What an explorer read (`Reading`) and how it is written: plain lines for `explorer.text`, and
HTML that wraps only between terms, never inside one; in the read-out a wrapped line hangs
further in than its start, so a narrow notebook shows lines, not a wall of numbers.

A layer made of sub-layers (Bidirectional's `forward` and `backward`) is read out one sub-layer
at a time: its sum, then its weights, each on its own line.

Numbers are written one way: every count of four digits or more gets thousands separators
(`1,024`), except a Keras argument written as code (`units=1024`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from paramlab.core._style import BLUE, GREY_TEXT, VERMILLION_TEXT
from paramlab.core.terms import Breakdown, Term, fmt

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


def term_line(term: Term, indent: str = "  ") -> str:
    """One weight: its path, shape and formula (`  kernel (5, 45, 32): kernel_size * ...`)."""
    return f"{indent}{term.path} {term.shape}: {term.formula}" + (
        "" if term.trainable else "  (non-trainable)"
    )


def sub_layers(b: Breakdown) -> list[tuple[str, tuple[Term, ...], Breakdown]]:
    """The sub-layers `b` is made of, in order: each scope (`forward`, `backward`), its terms,
    and the same terms as a breakdown of their own (`kernel + recurrent_kernel + bias`). Empty
    unless every term sits, one run per scope, in one of two or more scopes."""
    runs: list[tuple[str, list[Term]]] = []
    for t in b.terms:
        scope = t.scope.partition("/")[0]
        if not scope or (runs and runs[-1][0] != scope and scope in dict(runs)):
            return []
        if not runs or runs[-1][0] != scope:
            runs.append((scope, []))
        runs[-1][1].append(t)
    if len(runs) < 2:
        return []
    family = b.core.family
    return [
        (
            scope,
            tuple(terms),
            Breakdown(
                scope,
                tuple(replace(t, scope=t.scope.partition("/")[2]) for t in terms),
                family=family,
            ),
        )
        for scope, terms in runs
    ]


def formula_lines(b: Breakdown) -> list[str]:
    """The count and each weight. A layer of sub-layers: their sum first
    (`Parameters = forward + backward = 18,176 + 18,176 = 36,352`), then each sub-layer's sum
    with its weights under it, so no line holds more than one sub-layer's numbers."""
    parts = sub_layers(b)
    if not parts:
        return [f"Parameters = {b.expression}", *(term_line(t) for t in b.terms)]
    names = " + ".join(scope for scope, _, _ in parts)
    counts = " + ".join(fmt(part.total) for _, _, part in parts)
    lines = [f"Parameters = {names} = {counts} = {fmt(b.total)}"]
    for scope, terms, part in parts:
        lines.append(f"  {scope}: {part.formula}")
        lines += [term_line(t, "    ") for t in terms]
    return lines


def reading_lines(reading: Reading) -> list[str]:
    """The read-out below the Keras line: the layer, the formula, each weight, the totals."""
    b = reading.breakdown
    lines = [reading.heading, *formula_lines(b)]
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
    keyword argument's comma, in a call inside a call too (`Bidirectional(GRU(units=64, ...`);
    never inside a bracket such as `(L - k)` or `(batch, 41, 32)`, nor inside a product
    `5 * 45 * 32`.
    """
    parts = re.split(r"( +)", line)
    words, gaps = parts[0::2], parts[1::2]
    out: list[str] = []
    current = ""
    calls: list[bool] = []  # the brackets open here, innermost last: True for a call's `Name(`
    for i, word in enumerate(words):
        current += word
        for j, char in enumerate(word):
            if char in "([":
                calls.append(
                    char == "(" and j > 0 and (word[j - 1].isalnum() or word[j - 1] == "_")
                )
            elif char in ")]" and calls:
                calls.pop()
        if i == len(gaps):
            break
        argument = (
            bool(calls)
            and calls[-1]
            and word.endswith(",")
            and ("=" in word or word.endswith("),"))
        )
        if (
            word
            and (not calls or argument)
            and word not in _JOIN_NEXT
            and words[i + 1] not in _GLUE
        ):
            out += [current, gaps[i]]
            current = ""
        else:
            current += gaps[i]
    out.append(current)
    return out


LONG_SEGMENT = 30
"""Characters: a product longer than this (`value_input_dim * num_heads * value_dim`) may break
after one of its `*`, or it would run past a narrow notebook."""


def _segment_html(part: str) -> str:
    if " " not in part.strip():
        return html.escape(part).replace("/", "/<wbr>")  # a long weight path may break at a /
    pieces = part.split(" * ") if len(part) > LONG_SEGMENT else [part]
    return " ".join(
        f'<span style="{NOWRAP}">{html.escape(piece)}{" *" if i < len(pieces) - 1 else ""}</span>'
        for i, piece in enumerate(pieces)
    )


def line_html(line: str) -> str:
    """One line as HTML: unbreakable segments joined by spaces where it may wrap."""
    return "".join(_segment_html(part) for part in segments(line) if part)


HANG = 4  # characters: how much further a wrapped line of the read-out starts than its first


def row_html(line: str, hang: int = 0) -> str:
    """One line as a row of its own. With `hang`, its leading spaces become its indent and what
    wraps starts `hang` characters further in, so it reads as the same line continued."""
    if not hang:
        return f"<div>{line_html(line)}</div>"
    text = line.lstrip(" ")
    indent = len(line) - len(text) + hang
    return f'<div style="padding-left:{indent}ch;text-indent:-{hang}ch">{line_html(text)}</div>'


def block_html(lines: Sequence[str], style: str = "", *, hang: int = 0) -> str:
    """Lines as one block: each its own row, wrapping only between segments (hanging by `hang`
    characters)."""
    if not lines:
        return ""
    rows = "".join(row_html(line, hang) for line in lines)
    return f'<div style="white-space:pre-wrap;max-width:100%;overflow-x:auto;{style}">{rows}</div>'


def notes_html(notes: Sequence[str]) -> str:
    """The notes beside the controls: why a control is locked, what was changed and why."""
    return block_html(notes, f"color:{GREY_TEXT};font-size:90%;margin:2px 0")


def keras_html(line: str, agrees: bool, *, link: str | None = None) -> str:
    """The Keras line; a `link` in it (the full course's, where there is no Keras) is made one
    that opens in a new tab, and may break anywhere in a narrow notebook."""
    colour, weight = (BLUE, "normal") if agrees else (VERMILLION_TEXT, "bold")
    style = f"color:{colour};font-weight:{weight};margin:2px 0"
    if not link or link not in line:
        return block_html([line] if line else [], style)
    before, _, after = line.partition(link)
    href = html.escape(link, quote=True)
    anchor = (
        f'<a href="{href}" target="_blank" rel="noopener" style="overflow-wrap:anywhere">'
        f"{html.escape(link)}</a>"
    )
    return (
        f'<div style="max-width:100%;{style}"><div>{html.escape(before)}{anchor}'
        f"{html.escape(after)}</div></div>"
    )


def readout_html(lines: Sequence[str], *, alarm: bool = False) -> str:
    colour = f"color:{VERMILLION_TEXT};font-weight:bold;" if alarm else ""
    return block_html(lines, f"{colour}font-family:monospace;line-height:1.5", hang=HANG)
