"""What a learner sees on screen, checked where they see it (JupyterLab in Chromium):

- the RecurrentExplorer's read-out with Bidirectional on, in an 800 px window with the file
  browser open, is lines a learner can read (forward, then backward, no line wrapped into a
  wall of numbers, nothing wider than the output);
- a kernel_size typed past what Keras accepts (the browser stops it at the slider's end without
  a word) is explained beside the controls, and the limit is on the label before typing;
- a course notebook opens unmodified: no dirty mark on its tab before the learner edits anything;
- a Quiz's answer box shows its whole placeholder ("a number, or arithmetic such as 2*(3 + 4)"),
  and a Choice's feedback colours each pick by its own verdict (a pick marked right is not in the
  colour of wrong).

The first two act on the shared, already run page of their notebook (`lesson`) and put every
control back as they found it; the third opens one notebook on a page of its own, without
running it. None depends on the read-outs' text as stored in the notebooks: each reads the
controls' values from the page and computes what must follow.
"""

from __future__ import annotations

import json
import re

import lab_session
import pytest

from conftest import DESKTOP, SCREENSHOTS
from tools import lab_server

WIDTH_800 = {"width": 800, "height": 900}
MAX_LINES = 3  # a read-out row may wrap onto this many lines at 800 px, no more
CHECKED = re.compile(r"Keras builds this layer: ([\d,]+) parameters.*\(checked\)")

# The explorer's read-out (the monospace block): each row's height in lines, and whether the
# block is wider than the room it has.
ROWS = """(out) => {
  const blocks = [...out.querySelectorAll('.widget-html-content > div')]
    .filter(b => getComputedStyle(b).fontFamily.includes('monospace'));
  const block = blocks[blocks.length - 1];
  const rows = [...block.children].map(row => {
    const line = parseFloat(getComputedStyle(row).lineHeight);
    const height = row.getBoundingClientRect().height;
    return {text: row.textContent, lines: Math.round(height / line)};
  });
  return {rows, scroll: block.scrollWidth, client: block.clientWidth, room: out.clientWidth};
}"""


def notebook(page):
    return page.locator(lab_server.CURRENT)


def explorer(page, has_text: str):
    """The output of the first explorer whose read-out holds `has_text`."""
    outputs = notebook(page).locator(".jp-OutputArea-output")
    output = outputs.filter(has_text="Keras builds this layer").filter(has_text=has_text).first
    output.scroll_into_view_if_needed()
    return output


def settle(output, pattern: str, timeout_ms: int = 20_000) -> str:
    """The output's text once `pattern` is in it and its Keras check has settled."""
    text = ""
    for _ in range(timeout_ms // 250):
        text = output.inner_text()
        if re.search(pattern, text) and CHECKED.search(text):
            return text
        output.page.wait_for_timeout(250)
    raise AssertionError(f"{pattern!r} and a checked Keras line never appeared in:\n{text}")


def slider(output, name: str):
    label = output.page.locator(".widget-label", has_text=re.compile(rf"^{name}$"))
    return output.locator(".widget-slider").filter(has=label)


def type_into(output, name: str, value: int) -> None:
    """Type `value` into slider `name`'s number box and press Enter, as a learner does."""
    readout = slider(output, name).locator(".widget-readout")
    readout.click()
    output.page.keyboard.press("Control+A")
    output.page.keyboard.type(str(value))
    output.page.keyboard.press("Enter")


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"on_screen_{name}.png"))


@pytest.mark.parametrize("name", ["04_lstm_factor_of_four"])
def test_bidirectional_readout_reads_line_by_line_at_800px(lesson, name):
    page = lesson.page
    lab_session.show_file_browser(page)
    page.set_viewport_size(WIDTH_800)
    output = explorer(page, "LSTM(units=")
    box = output.locator(".widget-checkbox", has_text="Bidirectional").locator("input")
    box.check()
    try:
        text = settle(output, r"\n\s*backward: ")
        output.scroll_into_view_if_needed()
        shot(page, "bidirectional_800px")
        found = output.evaluate(ROWS)
        rows = [r["text"].strip() for r in found["rows"]]
        total = CHECKED.search(text).group(1)
        # The count: the two directions' sum, then each direction's sum with its weights under it.
        parameters = next(r for r in rows if r.startswith("Parameters = "))
        assert re.fullmatch(
            rf"Parameters = forward \+ backward = ([\d,]+) \+ \1 = {total}", parameters
        )
        forward = rows.index(next(r for r in rows if r.startswith("forward: ")))
        backward = rows.index(next(r for r in rows if r.startswith("backward: ")))
        assert forward < backward
        assert all(r.startswith("forward/") for r in rows[forward + 1 : backward])
        assert rows[backward + 1].startswith("backward/")
        assert backward - forward > 1, "no weights under forward"
        # Readable at 800 px: no row wrapped into a wall of lines, nothing wider than its room.
        walls = [
            f"{r['lines']} lines: {r['text']}" for r in found["rows"] if r["lines"] > MAX_LINES
        ]
        assert not walls, f"read-out rows taller than {MAX_LINES} lines at 800 px:\n" + "\n".join(
            walls
        )
        assert found["scroll"] <= found["client"] + 1, f"the read-out scrolls sideways: {found}"
        assert found["client"] <= found["room"] + 1, f"the read-out is wider than its room: {found}"
    finally:
        box.uncheck()
        settle(output, r"Parameters = (?!forward)")
        page.set_viewport_size(DESKTOP)


@pytest.mark.parametrize("name", ["03_the_cs231n_confusion"])
def test_kernel_size_typed_past_the_limit_says_why(lesson, name):
    page = lesson.page
    page.set_viewport_size(DESKTOP)
    output = explorer(page, "Conv1D(filters=")
    padding = output.locator(".widget-dropdown select").first
    was_padding = padding.input_value()
    kernel = slider(output, "kernel_size")
    was_kernel = int(kernel.locator(".widget-readout").inner_text())
    steps = int(slider(output, "steps").locator(".widget-readout").inner_text())
    assert slider(output, "dilation_rate").locator(".widget-readout").inner_text() == "1"
    padding.select_option("valid")
    try:
        settle(output, "padding='valid'")
        limit = steps  # 'valid', no dilation: a kernel as long as the input, no longer
        said = (
            f"kernel_size is at most {limit} here: the input has {limit} steps with padding='valid'"
        )
        # Before typing: the limit is on the control (its label's tooltip).
        assert said in (kernel.locator(".widget-label").get_attribute("title") or "")
        type_into(output, "kernel_size", limit + 15)
        text = settle(output, re.escape(said))
        shot(page, "kernel_size_past_the_limit")
        assert kernel.locator(".widget-readout").inner_text() == str(limit)
        assert f"kernel_size={limit}," in text
    finally:
        padding.select_option(was_padding)
        settle(output, f"padding='{was_padding}'")
        type_into(output, "kernel_size", was_kernel)
        settle(output, f"kernel_size={was_kernel},")


DIRTY = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const tab = [...document.querySelectorAll('.lm-DockPanel-tabBar .lm-TabBar-tab')]
    .find(t => t.classList.contains('lm-mod-current'));
  return {
    model: panel.context.model.dirty,
    tab: !!tab && tab.classList.contains('jp-mod-dirty'),
    metadata: panel.context.model.toJSON().metadata,
  };
}"""


PLACEHOLDER_FITS = """(box) => {
  const style = getComputedStyle(box);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {text: context.measureText(box.placeholder).width, room};
}"""

LINE_COLOURS = """(out) => [...out.querySelectorAll('[role=status] > div')]
  .map(line => ({text: line.textContent, colour: getComputedStyle(line).color}))"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("name", ["03_the_cs231n_confusion"])
def test_question_placeholder_and_pick_colours(lesson, name):
    from paramlab.core._style import FEEDBACK_COLOURS

    page = lesson.page
    boxes = notebook(page).locator("input[placeholder^='a number, or arithmetic']")
    assert boxes.count() >= 1, "no Quiz or Predict answer box"
    first = boxes.first
    first.scroll_into_view_if_needed()
    fits = first.evaluate(PLACEHOLDER_FITS)
    assert fits["text"] <= fits["room"], f"the placeholder is cut: {fits}"
    outputs = notebook(page).locator(".jp-OutputArea-output")
    choice = (
        outputs.filter(has=page.locator(".widget-checkbox input"))
        .filter(has=page.locator("button", has_text="Check"))
        .first
    )
    choice.scroll_into_view_if_needed()
    ticks = choice.locator(".widget-checkbox input")
    for i in range(ticks.count()):
        ticks.nth(i).check()
    choice.locator("button", has_text="Check").click()
    page.wait_for_function(
        "(out) => /Not quite|You already tried/.test(out.innerText)", arg=choice.element_handle()
    )
    shot(page, "choice_colours")
    lines = choice.evaluate(LINE_COLOURS)
    right = [line for line in lines if ": right." in line["text"]]
    wrong = [line for line in lines if ": not right." in line["text"]]
    assert right and wrong, f"ticking every option should give both kinds of pick: {lines}"
    assert {line["colour"] for line in right} == {rgb(FEEDBACK_COLOURS["right"])}, lines
    assert {line["colour"] for line in wrong} == {rgb(FEEDBACK_COLOURS["wrong"])}, lines
    for i in range(ticks.count()):
        ticks.nth(i).uncheck()


def test_a_notebook_opens_unmodified(page, lab):
    """Open a course notebook, let its kernel start (JupyterLab then writes the kernel's
    `kernelspec` and `language_info` into the notebook), run nothing: the notebook is not
    modified, and its tab shows no dirty mark."""
    name = "00_start_here"
    lab_server.open_notebook(page, lab.url, f"{name}.ipynb")
    stored = json.loads((lab.root / f"{name}.ipynb").read_text(encoding="utf-8"))
    state = page.evaluate(DIRTY)
    for _ in range(12):  # the kernel's info arrives after it is idle: watch a while longer
        if state["model"] or state["tab"]:
            break
        page.wait_for_timeout(250)
        state = page.evaluate(DIRTY)
    shot(page, "opened_unmodified")
    assert not state["model"] and not state["tab"], (
        f"{name} opens as modified. Its metadata on disk: {stored['metadata']}; as JupyterLab "
        f"holds it: {state['metadata']} (run `make notebooks` with this environment's kernel)"
    )
