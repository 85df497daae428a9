"""The two editions from one source (tools/editions.py): the learner's notebooks hold no speaker
note; the instructor edition is the learner's notebook with each note of instructor/notes/ put
back after its section; a note whose section is renamed, missing, doubled or out of order is
refused, so the editions cannot drift apart."""

from __future__ import annotations

import json

import pytest

from tools import editions, slides
from tools.notebook_parts import INSTRUCTOR, NOTEBOOKS, course_notebooks, tags

LECTURER = "Lecturer ·"


def md(source: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": source}


SMALL = {
    "cells": [
        md("# Title", "t"),
        md("## First section\n\nText.", "a"),
        {"cell_type": "code", "id": "c", "metadata": {}, "source": "x = 1", "outputs": []},
        md("## Second section", "b"),
    ]
}


@pytest.mark.parametrize("path", course_notebooks(), ids=lambda p: p.stem)
def test_a_learners_notebook_holds_no_speaker_note(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        assert INSTRUCTOR not in tags(cell), f"{path.name}: a speaker note in the learner edition"
        assert LECTURER not in "".join(cell["source"]), path.name


@pytest.mark.parametrize("stem", editions.WITH_NOTES)
def test_the_instructor_edition_is_the_lesson_with_its_notes(stem):
    learner = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))
    notes = editions.read_notes(editions.notes_path(stem).read_text(encoding="utf-8"))
    edition = editions.load(stem)
    assert notes, f"{stem}: no speaker notes"
    kept = [c for c in edition["cells"] if INSTRUCTOR not in tags(c)]
    assert kept == learner["cells"], "the learner's cells, unchanged and in order"
    inserted = [(i, c) for i, c in enumerate(edition["cells"]) if INSTRUCTOR in tags(c)]
    assert [editions.first_line(edition["cells"][i - 1]) for i, _ in inserted] == [
        note.heading for note in notes
    ], "each note right after its section's heading cell"
    for _, cell in inserted:
        assert cell["source"][0].startswith(f"> **{LECTURER}"), cell["source"][0]
        assert slides.MINUTES.search("".join(cell["source"]))
        assert cell["metadata"]["slideshow"]["slide_type"] == "notes"
    assert len({c["id"] for c in edition["cells"]}) == len(edition["cells"]), "unique cell ids"


def test_notes_read_back_as_written():
    notes = [editions.Note("## A", "> one\n> two"), editions.Note("## B `x`", "three")]
    assert editions.read_notes(editions.write_notes("Title", notes)) == notes


def test_a_note_is_put_after_its_section():
    notes = [
        editions.Note("## First section", "first note"),
        editions.Note("## Second section", "b"),
    ]
    edition = editions.instructor_edition(SMALL, notes)
    assert [c["source"] if c["id"].startswith("note") else c["id"] for c in edition["cells"]] == [
        "t",
        "a",
        ["first note"],
        "c",
        "b",
        ["b"],
    ]
    assert SMALL["cells"][1]["id"] == "a" and len(SMALL["cells"]) == 4, "the source is unchanged"


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        (
            [editions.Note("## Renamed section", "n")],
            "The note under '## Renamed section' must follow one section of the notebook, and no "
            "cell start with that heading. Received: heading='## Renamed section'",
        ),
        (
            [editions.Note("## Second section", "n"), editions.Note("## First section", "n")],
            "The notes of the notebook must come in the notebook's order. "
            "Received: headings=['## Second section', '## First section']",
        ),
    ],
)
def test_a_note_out_of_step_is_refused(notes, message):
    with pytest.raises(editions.NotesOutOfStep) as caught:
        editions.instructor_edition(SMALL, notes)
    assert str(caught.value) == message


def test_a_section_heading_twice_is_refused():
    doubled = {"cells": [*SMALL["cells"], md("## First section", "d")]}
    with pytest.raises(editions.NotesOutOfStep, match="2 cells start with that heading"):
        editions.instructor_edition(doubled, [editions.Note("## First section", "n")])


def test_a_speaker_note_left_in_the_learners_notebook_is_refused():
    noted = {
        "cells": [*SMALL["cells"], {**md("> Lecturer", "n"), "metadata": {"tags": [INSTRUCTOR]}}]
    }
    with pytest.raises(editions.NotesOutOfStep) as caught:
        editions.instructor_edition(noted, [], "x.ipynb")
    assert str(caught.value) == (
        "x.ipynb is a learner's notebook and must hold no speaker note: move the cells tagged "
        "'instructor' into its notes file. Received: tags=['instructor']"
    )


def test_the_edition_is_written_for_every_lesson(tmp_path):
    written = editions.write(tmp_path)
    assert [p.stem for p in written] == list(editions.WITH_NOTES)
    assert (tmp_path / "cheat_sheet.ipynb").exists()
    assert (tmp_path / "room_slips.ipynb").exists(), "the instructor's own notebook"
    assert editions.main(["--check"]) == 0
