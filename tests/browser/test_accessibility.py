"""The course's own content is accessible in JupyterLab: axe finds no serious or critical
violation in it, every widget works from the keyboard alone, and reduced motion is honoured.

Three notebooks hold every kind of widget between them, so each is run once (Run All) and
checked for everything it holds:

- 01_dense: DenseExplorer (sliders, checkbox), Quiz, Choice (radio buttons), Predict;
- 02_conv1d_vs_conv2d: Conv1DExplorer and Conv2DExplorer (sliders, dropdowns),
  Conv1DPicture and Conv2DPicture (Play, back/next, position slider), Choice (checkboxes);
  opened with the system asking for reduced motion, then without;
- 03_the_cs231n_confusion: ConfusionPicture (no controls), Conv1DExplorer.

axe-core runs on the notebook on show (`lab_server.CURRENT`), on the outputs that hold a widget
and on the rendered Markdown: JupyterLab's own chrome has its own open reports. It runs after
the questions were answered, so the feedback colours are checked too.

Keyboard: each widget's first control is focused with `element.focus()`; from there only keys
are pressed (Tab, Space, Enter, arrows, typing).
"""

from __future__ import annotations

import re

import pytest

from conftest import DESKTOP, new_page
from tools import lab_server
from tools.notebook_parts import NOTEBOOKS

AXE_IMPACTS = {"serious", "critical"}
OURS = "paramlab-axe-scope"
MARK_OURS = """([sel, cls]) => {
  const outputs = document.querySelectorAll(sel + ' .jp-OutputArea-output');
  let n = 0;
  for (const out of outputs) {
    if (out.querySelector('.jupyter-widgets')) { out.classList.add(cls); n++; }
  }
  return n;
}"""
FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), type: e.type || '', text: (e.innerText || '').trim(),
          label: e.getAttribute('aria-label') || '', title: e.title || '',
          role: e.getAttribute('role') || '', checked: !!e.checked};
}"""


@pytest.fixture
def calm_page(browser, lab_url):
    """A page whose system asks for reduced motion."""
    yield from new_page(browser, lab_url, viewport=DESKTOP, reduced_motion="reduce")


def notebook(page):
    return page.locator(lab_server.CURRENT)


def outputs(page, **filters):
    return notebook(page).locator(".jp-OutputArea-output").filter(**filters)


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def wait_for(read, pattern: str, page, timeout_ms: int = 15_000) -> str:
    """`read()` once it matches `pattern` (re.search), polling; fails with what it last read."""
    text = ""
    for _ in range(timeout_ms // 100):
        text = read()
        if re.search(pattern, text):
            return text
        page.wait_for_timeout(100)
    raise AssertionError(f"{pattern!r} never appeared in:\n{text}")


def assert_axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    count = page.evaluate(MARK_OURS, [lab_server.CURRENT, OURS])
    assert count >= 3, "too few widget outputs found to check"
    context = {
        "include": [
            f"{lab_server.CURRENT} .{OURS}",
            f"{lab_server.CURRENT} .jp-MarkdownOutput",
        ]
    }
    found = Axe().run(page, context=context).response["violations"]
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(n["html"][:160] for n in v["nodes"][:4])
        for v in found
        if v["impact"] in AXE_IMPACTS
    ]
    assert not bad, "axe:\n" + "\n".join(bad)


# --- keyboard paths, one per kind of widget ---------------------------------------------------

KERAS_LINE = re.compile(r"Keras builds this layer: ([\d,]+) parameters")


def explorer_by_keys(page, output) -> None:
    """Arrow keys move the first slider (Keras' line follows); Tab reaches every other control,
    and each has a name."""
    output.scroll_into_view_if_needed()
    before = KERAS_LINE.search(output.inner_text()).group(1)
    output.locator(".widget-slider .noUi-handle").first.focus()
    first = focused(page)
    assert first["role"] == "slider" and first["label"], first
    page.keyboard.press("ArrowRight")
    wait_for(
        lambda: (KERAS_LINE.search(output.inner_text()) or [""])[0],
        rf"Keras builds this layer: (?!{re.escape(before)} )[\d,]+ parameters",
        page,
    )
    controls = output.locator(
        ".noUi-handle, input:not([disabled]), select:not([disabled]), button:not([disabled])"
    ).count()
    seen = [first]
    for _ in range(controls * 2):  # a slider's handle is followed by its (editable) readout
        page.keyboard.press("Tab")
        now = focused(page)
        inside = page.evaluate("(e) => e.contains(document.activeElement)", output.element_handle())
        if not inside:
            break
        if now["role"] == "slider" or now["tag"] in ("input", "select", "button"):
            assert now["label"] or now["text"] or now["tag"] in ("input", "select"), now
            seen.append(now)
    assert len(seen) == controls, (seen, controls)


def picture_by_keys(page, output, *, play: bool) -> None:
    """From the first control on: Play (Enter) moves the picture and pauses again (Space) if
    `play`; ◀ and ▶ (Enter, Space) step it; the position slider moves with the arrows."""
    output.scroll_into_view_if_needed()
    note = output.locator("[role=note]")
    readout = output.locator(".widget-slider .widget-readout")

    def position() -> int:
        return int(readout.inner_text())

    def kernel_at(p: int) -> None:
        """Wait until the kernel has drawn position `p` (its text alternative says so)."""
        text = note.inner_text()
        size = re.search(r"of (\d+) x (\d+)\.$", text)
        if "query" in text:  # the attention picture: its position is the query token
            told = f"query {p} meets"
        else:
            told = f"step {p} of" if size is None else f"cell ({divmod(p, int(size[2]))})"
        wait_for(note.inner_text, re.escape(told.replace("((", "(").replace("))", ")")), page)

    if play:
        output.locator(".widget-play button").first.focus()
        assert focused(page)["label"] == "Play"
        first = note.inner_text()
        page.keyboard.press("Enter")
        wait_for(lambda: "moved" if note.inner_text() != first else "still", "moved", page)
        assert focused(page)["label"] == "Pause"
        page.keyboard.press("Space")  # pause
        wait_for(lambda: focused(page)["label"], r"^Play$", page)
        page.keyboard.press("Tab")
        assert focused(page)["label"] == "Stop"
        page.keyboard.press("Enter")  # back to the start
        wait_for(lambda: str(position()), r"^0$", page)
        kernel_at(0)
        page.keyboard.press("Tab")
        assert focused(page)["label"] == "Repeat"
        page.keyboard.press("Tab")
    else:
        output.locator("button", has_text="◀").focus()
    assert focused(page)["title"].startswith("previous"), focused(page)
    start = position()

    def tab_to(title: str, key: str = "Tab") -> None:
        for _ in range(4):  # past the position slider's handle and its (editable) readout
            if focused(page)["title"].startswith(title):
                return
            page.keyboard.press(key)
        assert focused(page)["title"].startswith(title), focused(page)

    tab_to("next")
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    wait_for(lambda: str(position()), rf"^{start + 2}$", page)
    kernel_at(start + 2)
    tab_to("previous", "Shift+Tab")
    page.keyboard.press("Enter")
    wait_for(lambda: str(position()), rf"^{start + 1}$", page)
    kernel_at(start + 1)
    page.keyboard.press("Tab")  # the position slider
    label = focused(page)["label"]
    assert focused(page)["role"] == "slider" and label.startswith(("output", "query"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_for(lambda: str(position()), rf"^{start + 3}$", page)
    kernel_at(start + 3)


def quiz_by_keys(page, output) -> None:
    """Type and Enter; then type, Tab to Check, Enter."""
    output.scroll_into_view_if_needed()
    feedback = output.locator("[role=status]")
    output.locator("input[type=text]").focus()
    page.keyboard.type("1 + 2")
    page.keyboard.press("Enter")
    wait_for(feedback.inner_text, r"(Not quite: 3|Right: 3)", page)
    page.keyboard.press("Control+A")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Check"
    page.keyboard.press("Enter")
    wait_for(feedback.inner_text, r"(Not quite: 7|Right: 7)", page)


def choice_by_keys(page, output) -> None:
    """Radio buttons: Space picks the first, an arrow moves the pick; checkboxes: Space ticks,
    Tab moves on. Then Tab to Check and press Enter."""
    output.scroll_into_view_if_needed()
    feedback = output.locator("[role=status]")
    output.locator("input").first.focus()
    kind = focused(page)["type"]
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    if kind == "radio":
        page.keyboard.press("ArrowDown")
        assert focused(page)["checked"] and output.locator("input:checked").count() == 1
    while focused(page)["tag"] != "button":
        page.keyboard.press("Tab")
    assert focused(page)["text"] == "Check"
    page.keyboard.press("Enter")
    wait_for(feedback.inner_text, r"(Right|Not quite)", page)


def predict_by_keys(page, output) -> None:
    """Type a prediction, Tab to the commit button, Enter: the real figure is revealed."""
    output = output.element_handle()  # the button's label changes: hold the element itself
    output.scroll_into_view_if_needed()
    output.query_selector("input[type=text]").focus()
    page.keyboard.type("1000")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Commit and run"
    page.keyboard.press("Enter")
    wait_for(output.inner_text, r"real figure", page)


def questions_by_keys(page, name: str) -> None:
    """Answer a Quiz, every Choice and (where notebook `name` has one) a Predict by keys."""
    quiz = outputs(page, has=page.locator("button", has_text="Check"), has_not_text="Pick")
    quiz = quiz.filter(has=page.locator("input[type=text]")).first
    quiz_by_keys(page, quiz)
    for choice in outputs(page, has=page.locator(".widget-radio-box, .widget-checkbox")).all():
        if choice.locator("button", has_text="Check").count():
            choice_by_keys(page, choice)
    if "paramlab.Predict(" in (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"):
        predict = outputs(page, has=page.locator("button", has_text="Commit and run"))
        assert predict.count(), f"{name} has a Predict, but none is left to commit"
        predict_by_keys(page, predict.first)


def explorers_by_keys(page) -> int:
    found = outputs(page, has_text="Keras builds this layer").all()
    for output in found:
        explorer_by_keys(page, output)
    return len(found)


# --- the tests --------------------------------------------------------------------------------


# 03's explorer is the Conv1D one, which the reduced-motion test drives by keys on 02; 08 brings
# the Transformer explorer and the attention picture.
@pytest.mark.parametrize("name", ["01_dense", "08_transformer_block"])
def test_widgets_by_keyboard_and_axe(lesson, name):
    page = lesson.page
    assert explorers_by_keys(page) >= 1
    for picture in outputs(page, has_text="Attention picture:").all():
        picture_by_keys(page, picture, play=True)
    questions_by_keys(page, name)
    assert_axe_clean(page)


PICTURES = ("Conv1D picture:", "Conv2D picture:")


def test_pictures_under_reduced_motion_then_without(calm_page, lab_url):
    """Asked for reduced motion: no Play anywhere, nothing moves by itself, and ◀/▶ and the
    slider step each picture. Then with no preference: Play is there and plays from the
    keyboard. The explorers, questions and axe are checked on the same run."""
    page = calm_page
    lab_server.open_and_run(page, lab_url, "02_conv1d_vs_conv2d.ipynb")
    assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    pictures = [outputs(page, has_text=alt).first for alt in PICTURES]
    notes = [p.locator("[role=note]").inner_text() for p in pictures]
    for picture in pictures:
        assert picture.locator(".widget-play").count() == 1
        assert not picture.locator(".widget-play").is_visible()
        assert picture.locator("button", has_text="◀").is_visible()
    page.wait_for_timeout(1000)
    assert [p.locator("[role=note]").inner_text() for p in pictures] == notes, "it moved alone"
    for picture in pictures:
        picture_by_keys(page, picture, play=False)

    page.emulate_media(reduced_motion="no-preference")
    for picture in pictures:
        assert picture.locator(".widget-play").is_visible()
        picture_by_keys(page, picture, play=True)
    assert explorers_by_keys(page) == 2
    questions_by_keys(page, "02_conv1d_vs_conv2d")
    assert_axe_clean(page)
