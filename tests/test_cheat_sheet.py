"""The cheat sheet covers every formula the lessons use, checks each against Keras, and is linked
from the course map. (nbval runs it; test_notebooks.py checks it is saved clean.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHEAT_SHEET = NOTEBOOKS / "cheat_sheet.ipynb"
LESSONS = sorted(NOTEBOOKS.glob("0*.ipynb"))

# A call the lessons make into the arithmetic layer: formulas.dense(, pytorch.lstm_vs_keras(,
# paramlab.pool_output_length(, shapes.effective_kernel(
CALL = re.compile(
    r"\b(?P<module>formulas|pytorch|shapes)\.(?P<name>[a-z_][a-z0-9_]*)\("
    r"|\bparamlab\.(?P<length>[a-z_]*_output_length)\("
)
# A real Keras layer in a section's code: layers.Dense(, keras.layers.Conv2D(
KERAS_LAYER = re.compile(r"\blayers\.[A-Z]\w*\(")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def calls(text: str) -> set[str]:
    """`module.name` for every call into formulas / pytorch / shapes in `text`."""
    found = set()
    for m in CALL.finditer(text):
        found.add(f"shapes.{m['length']}" if m["length"] else f"{m['module']}.{m['name']}")
    return found


def sections(nb: dict) -> dict[str, list[str]]:
    """Each `## ` heading of the cheat sheet with the code of the cells under it."""
    out: dict[str, list[str]] = {}
    heading = None
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown" and text.lstrip().startswith("## "):
            heading = text.lstrip()[3:].splitlines()[0].strip()
            out[heading] = []
        elif cell["cell_type"] == "code" and heading is not None:
            out[heading].append(text)
    return out


def test_lessons_found():
    assert len(LESSONS) >= 8, [p.name for p in LESSONS]


def test_covers_every_formula_the_lessons_use():
    used: dict[str, set[str]] = {}
    for path in LESSONS:
        for cell in load(path)["cells"]:
            if cell["cell_type"] == "code":
                for name in calls(source(cell)):
                    used.setdefault(name, set()).add(path.stem)
    assert any(name.startswith("formulas.") for name in used), "no formula found in the lessons"
    sheet = load(CHEAT_SHEET)
    covered = set()
    for cell in sheet["cells"]:
        if cell["cell_type"] == "code":
            covered |= calls(source(cell))
    missing = {name: sorted(where) for name, where in used.items() if name not in covered}
    assert not missing, f"used in lessons, missing from the cheat sheet: {missing}"


def test_every_section_is_checked_against_keras():
    found = sections(load(CHEAT_SHEET))
    assert len(found) >= 8, list(found)
    for heading, code in found.items():
        text = "\n".join(code)
        assert calls(text), f"section {heading!r} computes nothing with paramlab"
        assert "assert " in text, f"section {heading!r} asserts nothing"
        assert KERAS_LAYER.search(text), f"section {heading!r} builds no Keras layer"


@pytest.mark.parametrize(
    "family",
    [
        "Dense",
        "Embedding",
        "Conv1D",
        "Conv2D",
        "DepthwiseConv2D",
        "SeparableConv2D",
        "Output length",
        "SimpleRNN",
        "LSTM",
        "GRU",
        "Bidirectional",
        "BatchNormalization",
        "LayerNormalization",
        "PyTorch",
    ],
)
def test_every_family_has_a_section(family):
    assert any(family in heading for heading in sections(load(CHEAT_SHEET))), family


def test_gru_both_reset_after_settings():
    code = "\n".join(source(c) for c in load(CHEAT_SHEET)["cells"] if c["cell_type"] == "code")
    assert "reset_after=False" in code
    assert re.search(r"layers\.GRU\(\d+, reset_after=False\)", code)


def test_structure():
    cells = load(CHEAT_SHEET)["cells"]
    intro = source(cells[0])
    assert intro.startswith("# Cheat sheet: every formula in the course")
    assert "(00_start_here.ipynb#The-map)" in intro
    first_code = next(source(c) for c in cells if c["cell_type"] == "code")
    assert first_code.index("setup_notebook") < first_code.index("import keras")


def test_the_course_map_links_to_it():
    start = load(NOTEBOOKS / "00_start_here.ipynb")
    markdown = [source(c) for c in start["cells"] if c["cell_type"] == "markdown"]
    assert any("(cheat_sheet.ipynb" in m for m in markdown), (
        "notebook 00's course map links to the cheat sheet"
    )
