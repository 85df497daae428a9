"""The course's two editions from one source: the learner's notebooks, and the lecturer's notes
kept beside them.

- **Learner edition**: `notebooks/*.ipynb`, exactly as committed. It is what Binder, `make lab`,
  the hub link, the site and the handouts give a learner, and what nbval runs. It holds no
  speaker note and no answer before its question.
- **Instructor edition**: the same notebooks with the speaker notes of
  `instructor/notes/<notebook>.md` put back in, each note as a markdown cell tagged `instructor`
  (slide type `notes`) right after the section it belongs to. It is generated, never edited:
  `make lecture` presents it (the notes become the deck's speaker notes) and `make handouts`
  writes it beside the learner copies.

A notes file is markdown. Its `# ` title line is for the reader; each `## ` heading is copied,
character for character, from the learner notebook's section heading (the first line of a
markdown cell), and what follows it, up to the next `## `, is that section's note:

    # 01 · Dense layers: speaker notes

    ## One weight per input per unit, plus a bias

    > **Lecturer · 6 min.** Write `units * (inputs + 1)` on the board, ...

A heading the notebook does not have, or has twice, is refused (`NotesOutOfStep`): rename a
section and its note must follow. tests/test_editions.py checks every lesson.

    python -m tools.editions              # write build/instructor/ (the instructor edition)
    python -m tools.editions --check      # exit 1 when a notes file is out of step
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.notebook_parts import APPENDICES, INSTRUCTOR, LESSONS, NOTEBOOKS, ROOT, tags

WITH_NOTES = (*LESSONS, *APPENDICES)

INSTRUCTOR_DIR = ROOT / "instructor"
NOTES = INSTRUCTOR_DIR / "notes"
OUT = ROOT / "build" / "instructor"
SECTION = "## "


class NotesOutOfStep(ValueError):
    """A notes file whose sections do not match its notebook's."""


@dataclass(frozen=True)
class Note:
    """One speaker note: the notebook section it follows (its `## ` heading line) and its text."""

    heading: str
    text: str


def notes_path(stem: str, folder: Path = NOTES) -> Path:
    return folder / f"{stem}.md"


def read_notes(text: str) -> list[Note]:
    """The notes of a notes file, in order (text before the first `## ` is the file's own)."""
    notes: list[Note] = []
    heading: str | None = None
    body: list[str] = []
    for line in [*text.splitlines(), SECTION]:  # a sentinel heading closes the last note
        if line.startswith(SECTION):
            if heading is not None:
                notes.append(Note(heading, "\n".join(body).strip()))
            heading, body = line.rstrip(), []
        else:
            body.append(line)
    return [note for note in notes if note.heading != SECTION.rstrip()]


def write_notes(title: str, notes: list[Note]) -> str:
    """A notes file's text (the inverse of `read_notes`)."""
    parts = [f"# {title}: speaker notes\n"]
    parts += [f"{note.heading}\n\n{note.text}\n" for note in notes]
    return "\n".join(parts)


def first_line(cell: dict) -> str:
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    return source.lstrip().split("\n", 1)[0].rstrip()


def anchors(nb: dict, notes: list[Note], name: str = "the notebook") -> list[int]:
    """The index of the cell each note follows; `NotesOutOfStep` unless every note's heading
    heads exactly one markdown cell and the notes come in the notebook's order."""
    where: list[int] = []
    for note in notes:
        found = [
            i
            for i, cell in enumerate(nb["cells"])
            if cell["cell_type"] == "markdown" and first_line(cell) == note.heading
        ]
        if len(found) != 1:
            how = "no cell" if not found else f"{len(found)} cells"
            raise NotesOutOfStep(
                f"The note under {note.heading!r} must follow one section of {name}, and "
                f"{how} start with that heading. Received: heading={note.heading!r}"
            )
        where.append(found[0])
    if where != sorted(where):
        raise NotesOutOfStep(
            f"The notes of {name} must come in the notebook's order. "
            f"Received: headings={[note.heading for note in notes]!r}"
        )
    return where


def note_cell(note: Note, index: int) -> dict:
    return {
        "cell_type": "markdown",
        "id": f"note-{index:02d}",
        "metadata": {"slideshow": {"slide_type": "notes"}, "tags": [INSTRUCTOR]},
        "source": note.text.splitlines(keepends=True),
    }


def instructor_edition(nb: dict, notes: list[Note], name: str = "the notebook") -> dict:
    """A copy of the learner notebook `nb` with each note as a cell after its section."""
    if any(INSTRUCTOR in tags(cell) for cell in nb["cells"]):
        raise NotesOutOfStep(
            f"{name} is a learner's notebook and must hold no speaker note: move the cells "
            f"tagged {INSTRUCTOR!r} into its notes file. Received: tags=[{INSTRUCTOR!r}]"
        )
    edition = copy.deepcopy(nb)
    after = anchors(nb, notes, name)
    for number, (index, note) in reversed(list(enumerate(zip(after, notes, strict=True)))):
        edition["cells"].insert(index + 1, note_cell(note, number))
    return edition


def load(stem: str, folder: Path = NOTEBOOKS, notes: Path = NOTES) -> dict:
    """The instructor edition of the lesson `stem`."""
    nb = json.loads((folder / f"{stem}.ipynb").read_text(encoding="utf-8"))
    path = notes_path(stem, notes)
    found = read_notes(path.read_text(encoding="utf-8")) if path.exists() else []
    return instructor_edition(nb, found, f"{stem}.ipynb")


def write(out: Path = OUT) -> list[Path]:
    """The instructor edition of every lesson into `out`, with the instructor's own pages."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in WITH_NOTES:
        path = out / f"{stem}.ipynb"
        path.write_text(json.dumps(load(stem), indent=1, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    for extra in ("cheat_sheet.ipynb",):
        shutil.copy2(NOTEBOOKS / extra, out / extra)
    for page in INSTRUCTOR_DIR.glob("*.ipynb"):
        shutil.copy2(page, out / page.name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="check the notes, write nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.check:
        problems = []
        for stem in WITH_NOTES:
            try:
                load(stem)
            except NotesOutOfStep as err:
                problems.append(str(err))
        print("\n".join(problems) or "the notes are in step with the notebooks")
        return 1 if problems else 0
    for path in write(args.out):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
