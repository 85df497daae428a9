"""How long each lesson takes a learner, computed from what it holds, against what it states.

Each lesson's first cell states a learner's time (`**Time:** about 25 minutes`). This tool counts
what a careful learner reads and does in the notebook, prices each part at the rates below, and
prints, per lesson: the stated minutes, the computed minutes, and how far the stated time is from
the computed one as a share of the computed one (negative: the notebook promises less time than
it takes), then the computed minutes by part. `--write` rewrites each first cell's stated minutes
to the computed time rounded to 5 minutes, touching nothing else in the file.

    python -m tools.reading_time                       # the table, for notebooks/
    python -m tools.reading_time --write --folder DIR  # restate the times in DIR's lessons

What is counted, cell by cell (the cheat sheet is reference, not a lesson, and is not timed):

- Cells tagged `solution` (the worked solutions, folded in a `<details>` block, and the asserts
  that check them) and `instructor` (speaker notes) are skipped: worked solutions are optional
  reading for a learner who got an answer wrong, and the question widgets already explain each
  wrong answer; the minutes per question below include reading that feedback.
- Markdown: its words, a word being a whitespace-separated token with a letter or digit in it
  (so `*`, `=`, `→` and `·` are not words, while `input_dim` and `7,850` are), after dropping
  link targets and HTML tags.
- Code: the visible lines of its source that hold a letter or digit (a line of closing brackets
  is not read). A cell whose source is hidden (`source_hidden`, as every question cell is) is
  not read: its source holds the answer.
- Outputs a learner reads: the lines, with a letter or digit, of printed text and of the plain
  text of displays (`model.summary()`'s rows; its box-drawing borders are not lines read), except
  the outputs of question, explorer and picture cells, which their fixed minutes cover.
- Questions: each `paramlab.Quiz(`, `Choice(` and `Predict(` (`tools.notebook_parts.QUESTION`)
  a fixed number of minutes by kind.
- Explorers and pictures: each `paramlab.*Explorer(` and `paramlab.*Picture(` a fixed number of
  minutes.

Running a cell is folded into the rate per code line; open invitations ("try your own arguments")
are not timed. The rates were set so that the lessons as they stood (230 minutes stated) come to
300 minutes for a careful read with every exercise, 02 and 04 the longest (48 and 47 minutes).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.notebook_parts import INSTRUCTOR, NOTEBOOKS, QUESTION, lesson_notebooks, tags

PROSE_WORDS_PER_MINUTE = 140
"""Markdown words read per minute. Careful reading to learn runs at about 140-200 words a minute
(Carver's "learning" and "memorizing" gears, against some 240 for ordinary non-fiction, as
Brysbaert 2019 measures it); the course's prose is dense with inline formulas and figures that
the learner checks against the code below them, so the slow end."""
CODE_SECONDS_PER_LINE = 4.0
"""Seconds per visible line of code: read the line, and run the cell (15 lines a minute). Most
lines restate a formula the prose just gave, or assert a figure against Keras."""
OUTPUT_SECONDS_PER_LINE = 3.0
"""Seconds per printed line read: a short line, mostly a figure to compare with the text."""
QUESTION_MINUTES: Mapping[str, float] = {"Quiz": 3.0, "Choice": 2.0, "Predict": 2.5}
"""Minutes per question, by kind. A Quiz: work a count out by hand, type it, read the feedback,
often a hint and a second try. A Choice: read three to five options, pick, read each pick's
explanation. A Predict: commit a prediction, run the build, read how far off it was."""
EXPLORER_MINUTES = 3.0
"""Minutes per explorer: move a few controls and watch the formula and the Keras check follow."""
PICTURE_MINUTES = 2.0
"""Minutes per picture: play it once, step through a frame or two, read the text under it."""
ROUND_TO = 5
"""`--write` states the computed minutes rounded to this many minutes."""
TOLERANCE = 0.15
"""How far a stated time may be from the computed one, as a share of the computed one."""

SKIPPED_TAGS = frozenset({"solution", INSTRUCTOR})
EXPLORER = re.compile(r"\bparamlab\.\w*(?P<kind>Explorer|Picture)\(")
TIME = re.compile(r"(?P<before>\*\*Time:\*\*[ \t]+about[ \t]+)(?P<minutes>\d+)(?=[ \t]+minutes\b)")
WORD = re.compile(r"\S*[^\W_]\S*")
READ_LINE = re.compile(r"[^\W_]")
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class Reading:
    """What a learner reads and does in one notebook, counted."""

    words: int = 0
    code_lines: int = 0
    output_lines: int = 0
    quizzes: int = 0
    choices: int = 0
    predicts: int = 0
    explorers: int = 0
    pictures: int = 0

    @property
    def parts(self) -> dict[str, float]:
        """Minutes by part, at the module's rates."""
        questions = (
            self.quizzes * QUESTION_MINUTES["Quiz"]
            + self.choices * QUESTION_MINUTES["Choice"]
            + self.predicts * QUESTION_MINUTES["Predict"]
        )
        return {
            "prose": self.words / PROSE_WORDS_PER_MINUTE,
            "code": self.code_lines * CODE_SECONDS_PER_LINE / 60,
            "outputs": self.output_lines * OUTPUT_SECONDS_PER_LINE / 60,
            "questions": questions,
            "explorers": self.explorers * EXPLORER_MINUTES + self.pictures * PICTURE_MINUTES,
        }

    @property
    def minutes(self) -> float:
        return sum(self.parts.values())


def _text(value: str | Sequence[str]) -> str:
    """A cell's source or an output's text: a string, or a list of lines as stored on disk."""
    return value if isinstance(value, str) else "".join(value)


def _read_lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if READ_LINE.search(line))


def _prose_words(markdown: str) -> int:
    return len(WORD.findall(HTML_TAG.sub(" ", LINK_TARGET.sub("]", markdown))))


def _output_lines(outputs: Sequence[Mapping[str, Any]]) -> int:
    lines = 0
    for output in outputs:
        if output["output_type"] == "stream":
            text = output.get("text", "")
        else:
            text = output.get("data", {}).get("text/plain", "")
        lines += _read_lines(ANSI.sub("", _text(text)))
    return lines


def reading(nb: Mapping[str, Any]) -> Reading:
    """Count what a learner reads and does in `nb` (a notebook node or its plain JSON)."""
    counts = dict.fromkeys(("words", "code_lines", "output_lines", "explorers", "pictures"), 0)
    questions = dict.fromkeys(QUESTION_MINUTES, 0)
    for cell in nb["cells"]:
        if SKIPPED_TAGS.intersection(tags(cell)):
            continue
        source = _text(cell["source"])
        if cell["cell_type"] == "markdown":
            counts["words"] += _prose_words(source)
            continue
        if cell["cell_type"] != "code":
            continue
        asked = [match.group(0).split(".")[1].rstrip("(") for match in QUESTION.finditer(source)]
        shown = [match.group("kind") for match in EXPLORER.finditer(source)]
        for kind in asked:
            questions[kind] += 1
        counts["explorers"] += shown.count("Explorer")
        counts["pictures"] += shown.count("Picture")
        if not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"):
            counts["code_lines"] += _read_lines(source)
        if not asked and not shown:
            counts["output_lines"] += _output_lines(cell.get("outputs", []))
    return Reading(
        **counts,
        quizzes=questions["Quiz"],
        choices=questions["Choice"],
        predicts=questions["Predict"],
    )


def computed_minutes(nb: Mapping[str, Any]) -> int:
    """The learner's time for `nb` at the module's rates, in whole minutes (half up)."""
    return int(reading(nb).minutes + 0.5)


def rounded(minutes: float) -> int:
    """`minutes` to the nearest `ROUND_TO` (half up), at least `ROUND_TO`."""
    return max(ROUND_TO, ROUND_TO * int(minutes / ROUND_TO + 0.5))


def stated_minutes(nb: Mapping[str, Any]) -> int:
    """The minutes `nb`'s first cell states (`**Time:** about N minutes`)."""
    source = _text(nb["cells"][0]["source"]) if nb["cells"] else ""
    match = TIME.search(source)
    if match is None:
        raise ValueError(
            "Expected the first cell to state the learner's time as "
            f"'**Time:** about N minutes'. Received: first_cell={source[:80]!r}"
        )
    return int(match.group("minutes"))


def restate(nb: dict[str, Any], minutes: int) -> None:
    """Set the minutes `nb`'s first cell states to `minutes`, in place: only the line that
    states them changes (a source stored as a list of lines stays one)."""
    stated_minutes(nb)  # the same error as reading it, if it states none
    cell = nb["cells"][0]
    lines = cell["source"]
    if isinstance(lines, str):
        cell["source"] = TIME.sub(rf"\g<before>{minutes}", lines, count=1)
        return
    at = next(i for i, line in enumerate(lines) if TIME.search(line))
    lines[at] = TIME.sub(rf"\g<before>{minutes}", lines[at], count=1)


def _dumps(nb: Mapping[str, Any]) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def write_stated(path: Path, minutes: int) -> bool:
    """Restate the minutes in the notebook at `path`; every other byte of the file stays as it
    was. False (and the file untouched) if it already states `minutes`."""
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    if _dumps(nb) != raw:
        raise ValueError(
            "Expected a notebook stored as json.dumps(nb, indent=1, ensure_ascii=False) plus a "
            f"newline, so that only its time line changes; not rewriting it. Received: path={path}"
        )
    if stated_minutes(nb) == minutes:
        return False
    restate(nb, minutes)
    path.write_text(_dumps(nb), encoding="utf-8")
    return True


def _percent(stated: int, computed: float) -> str:
    return f"{(stated - computed) / computed:+.0%}" if computed else "n/a"


def table(paths: Sequence[Path]) -> str:
    """One row per notebook: stated, computed, difference, and the computed minutes by part;
    then the totals."""
    parts = list(Reading().parts)
    head = f"{'notebook':26} {'stated':>6} {'computed':>8} {'difference':>10}"
    rows = [head + "".join(f" {name:>9}" for name in parts)]
    total_stated, total_computed, total_parts = 0, 0, dict.fromkeys(parts, 0.0)
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        count, stated, computed = reading(nb), stated_minutes(nb), computed_minutes(nb)
        total_stated, total_computed = total_stated + stated, total_computed + computed
        line = f"{path.stem:26} {stated:>6} {computed:>8} {_percent(stated, computed):>10}"
        for name, value in count.parts.items():
            total_parts[name] += value
            line += f" {value:>9.1f}"
        rows.append(line)
    line = f"{'total':26} {total_stated:>6} {total_computed:>8}"
    line += f" {_percent(total_stated, total_computed):>10}"
    rows.append(line + "".join(f" {value:>9.1f}" for value in total_parts.values()))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folder", type=Path, default=NOTEBOOKS, help="the lessons' folder (default: notebooks/)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"restate each lesson's time as the computed one, rounded to {ROUND_TO} minutes",
    )
    args = parser.parse_args(argv)
    paths = lesson_notebooks(args.folder)
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    print(table(paths))
    if args.write:
        for path in paths:
            nb = json.loads(path.read_text(encoding="utf-8"))
            before, after = stated_minutes(nb), rounded(computed_minutes(nb))
            if write_stated(path, after):
                print(f"{path.name}: {before} -> {after} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
