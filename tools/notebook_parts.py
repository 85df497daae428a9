"""What the course's tools know about its notebooks: the course in order, the cell tags, the
question cells, headings and links between notebooks, and the one preprocessor that turns a
notebook into a learner's page (the static site and the handouts' printable copies).

- `LESSONS`, `APPENDICES` then `CHEAT_SHEET` are the course (`COURSE`); each lesson links
  to the one before and after it; an appendix links back to the lesson that points to it.
  tests/test_notebooks.py checks notebooks/ holds exactly these.
- A cell tagged `instructor` is a speaker note; a question cell (`paramlab.Quiz(`, `Choice(`,
  `Predict(`) has its source hidden in JupyterLab, because its source holds the answer.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = (
    "00_start_here",
    "01_dense",
    "02_conv1d_vs_conv2d",
    "03_the_cs231n_confusion",
    "04_lstm_factor_of_four",
    "05_batchnorm_statistics",
    "06_reading_any_summary",
    "08_transformer_block",  # taught after 06 and before the capstone, which may use it
    "07_capstone",
)
APPENDICES = ("appendix_keras2", "appendix_more_layers")
"""Read after the lessons that point to them (Keras 2 history, from 02; more layers, porting to
PyTorch and mixed precision, from 02 and 04): no exercises to mark."""
CHEAT_SHEET = "cheat_sheet"
COURSE = (*LESSONS, *APPENDICES, CHEAT_SHEET)

INSTRUCTOR = "instructor"
"""The tag of a speaker note (a cell headed "Lecturer", with its minutes)."""
QUESTION = re.compile(r"\bparamlab\.(?:Quiz|Choice|Predict)\(")
HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
# A relative link to a sibling notebook, in markdown or in an HTML attribute.
NOTEBOOK_LINK = re.compile(
    r"(?P<before>\]\(|href=[\"'])(?P<name>[\w.-]+)\.ipynb(?P<anchor>#[^)\s\"']*)?"
)


def course_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course's notebook files in order: the lessons, then the cheat sheet."""
    return [folder / f"{stem}.ipynb" for stem in COURSE]


def lesson_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The lessons' notebook files in order (the course without the cheat sheet)."""
    return [folder / f"{stem}.ipynb" for stem in LESSONS]


def tags(cell: dict) -> list[str]:
    """A cell's tags (a notebook node or the plain JSON of one)."""
    return list(cell.get("metadata", {}).get("tags", []))


def source_hidden(cell: dict) -> bool:
    return bool(cell.get("metadata", {}).get("jupyter", {}).get("source_hidden"))


def title_of(cells: list[dict], fallback: str) -> str:
    """The first `# ` heading of the markdown cells, or `fallback`."""
    for cell in cells:
        if cell["cell_type"] == "markdown" and (match := HEADING.search(cell["source"])):
            return match.group(1).strip()
    return fallback


def rewrite_links(text: str) -> str:
    """`01_dense.ipynb#x` -> `01_dense.html#x` in markdown links and href attributes."""
    return NOTEBOOK_LINK.sub(r"\g<before>\g<name>.html\g<anchor>", text)


class LearnerPage(Preprocessor):
    """For a learner's HTML page: drop speaker notes, leave out the input of source-hidden cells
    (their outputs, the questions' static stand-ins, stay), point links between notebooks at
    their pages."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if INSTRUCTOR not in tags(cell)]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if source_hidden(cell):
            cell.metadata["transient"] = {"remove_source": True}
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source)
        return cell, resources
