"""One palette: every colour the widgets and reports use is named once, in `core/_style.py`,
and one name is one colour."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from paramlab.core import _style

PACKAGE = Path(_style.__file__).resolve().parent.parent
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b")


def colours() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(_style).items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }


def test_every_colour_is_a_six_digit_hex():
    assert colours(), "no colours found"
    for name, value in colours().items():
        assert re.fullmatch(r"#[0-9A-F]{6}", value), f"{name}={value!r}"


def test_one_name_one_colour():
    by_value: dict[str, list[str]] = {}
    for name, value in colours().items():
        by_value.setdefault(value.upper(), []).append(name)
    assert {v: n for v, n in by_value.items() if len(n) > 1} == {}


def test_the_palette_is_okabe_ito_without_black():
    assert _style.PALETTE == (
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    )


def test_feedback_has_a_colour_and_a_mark_per_tone():
    assert set(_style.FEEDBACK_COLOURS) == set(_style.FEEDBACK_MARKS) == {"right", "wrong", "info"}
    assert set(_style.FEEDBACK_COLOURS.values()) <= set(colours().values())


def test_the_style_module_is_pure_data():
    tree = ast.parse(Path(_style.__file__).read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [i.module for i in imports if isinstance(i, ast.ImportFrom)] == ["__future__"]
    assert not [i for i in imports if isinstance(i, ast.Import)]


def test_widgets_and_reports_name_no_colour_of_their_own():
    found = []
    for folder in ("ui", "records", "bridge"):
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if HEX.search(line):
                    found.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert found == []
