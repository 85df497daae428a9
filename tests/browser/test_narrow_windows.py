"""The course in a narrow window: 800 px wide, and a 1366 x 768 laptop at 150 % zoom (the
projector case), each with the file browser open.

After Run All (once per notebook, on the page the notebook's other browser tests share), no
explorer, picture (canvas and controls) or quiz may be wider than the output
area it is shown in, and each explorer's "Keras builds this layer" line must be on screen together
with its controls, so a learner moving a slider sees Keras' answer without scrolling.

150 % zoom is emulated as the browser does it: the window's CSS size shrinks by the zoom factor
(the 1366 x 768 window shows 911 x 512 CSS px) and devicePixelRatio becomes 1.5: a 911 x 512
viewport with device_scale_factor=1.5. Not CSS `zoom` on the page: it leaves the viewport, media
queries and JupyterLab's own layout at full width and only scales what is drawn, so it would not
show the narrow layout a zoomed learner gets. (device_scale_factor alone changes no CSS px.)
"""

from __future__ import annotations

import lab_session
import pytest

from conftest import SCREENSHOTS
from tools import lab_server
from tools.notebook_parts import LESSONS

# The shared lesson page already has a pixel ratio of 1.5 (tests/browser/conftest.py: Lesson).
SIZES = {
    "zoom150": {"viewport": {"width": 911, "height": 512}},
    "800px": {"viewport": {"width": 800, "height": 900}},
}
# Every notebook with an explorer or a picture; each also has questions (00, 06 and 07 have only
# questions, the same widgets, and are left out to keep the run short).
ONLY_QUESTIONS = {"00_start_here", "06_reading_any_summary", "07_capstone"}
NOTEBOOKS = [stem for stem in LESSONS if stem not in ONLY_QUESTIONS]
SLACK = 1  # px: sub-pixel rounding

# For each paramlab widget on show: what it is, the room its output area gives it, and how far
# it (or any part of it: canvas, slider, button, text) reaches.
MEASURE = """(sel) => {
  const panel = document.querySelector(sel);
  const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => o.querySelector('.jupyter-widgets'));
  const describe = e => e.tagName.toLowerCase() +
    [...e.classList].filter(c => !c.startsWith('lm-') && !c.startsWith('jp-'))
      .slice(0, 3).map(c => '.' + c).join('');
  return outputs.map((out, index) => {
    const text = out.innerText;
    const kind = out.querySelector('.jupyter-matplotlib') ? 'picture'
      : text.includes('Keras builds this layer') ? 'explorer'
      : [...out.querySelectorAll('button')]
          .some(b => ['Check', 'Commit and run', 'Revealed', 'Run again']
            .includes(b.innerText.trim())) ? 'question'
      : 'other';
    const o = out.getBoundingClientRect();
    const left = o.left + out.clientLeft;
    const room = out.clientWidth;
    let widest = null, reach = 0;
    for (const e of out.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (getComputedStyle(e).visibility === 'hidden') continue;
      if (r.right - left > reach) { reach = r.right - left; widest = describe(e); }
    }
    const canvases = [...out.querySelectorAll('canvas')].map(c => c.getBoundingClientRect().width);
    const root = out.querySelector('.jupyter-widgets');
    return {
      index, kind, room, reach: Math.round(reach), widest,
      width: Math.round(root.getBoundingClientRect().width),
      scroll: out.scrollWidth, rootScroll: root.scrollWidth, rootClient: root.clientWidth,
      canvas: canvases.length ? Math.round(Math.max(...canvases)) : null,
      first: text.split('\\n')[0].slice(0, 60),
      windowWidth: window.innerWidth, outRight: Math.round(o.right),
    };
  });
}"""

# Scroll the notebook so one explorer's controls are in view (their top at the top of the
# notebook's visible area, or the Keras line's if it is above them), then say what is on screen.
CONTROLS = (
    ".widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons, .widget-radio"
)
NEAR = """async ([sel, index, controls]) => {
  const panel = document.querySelector(sel);
  const scroller = panel.querySelector('.jp-WindowedPanel-outer');
  const out = [...panel.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => o.querySelector('.jupyter-widgets'))[index];
  const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
  let node = null;
  while (walker.nextNode()) {
    if (walker.currentNode.nodeValue.includes('Keras builds this layer')) {
      node = walker.currentNode; break;
    }
  }
  const range = document.createRange();
  range.selectNodeContents(node);
  const parts = [...out.querySelectorAll(controls)].filter(e => e.getBoundingClientRect().height);
  const tops = () => [range.getBoundingClientRect(), ...parts.map(e => e.getBoundingClientRect())];
  const s = scroller.getBoundingClientRect();
  scroller.scrollTop += Math.min(...tops().map(r => r.top)) - s.top - 4;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const view = {
    top: Math.max(s.top, 0), bottom: Math.min(s.bottom, window.innerHeight),
    left: Math.max(s.left, 0), right: Math.min(s.right, window.innerWidth),
  };
  const k = range.getBoundingClientRect();
  const c = parts.map(e => e.getBoundingClientRect());
  const inView = r => r.top >= view.top - 1 && r.bottom <= view.bottom + 1 &&
    r.left >= view.left - 1 && r.left < view.right;
  return {
    controls: c.length,
    controlsInView: c.filter(inView).length,
    kerasInView: inView(k),
    controlsTop: Math.round(Math.min(...c.map(r => r.top))),
    controlsBottom: Math.round(Math.max(...c.map(r => r.bottom))),
    kerasTop: Math.round(k.top), kerasBottom: Math.round(k.bottom),
    viewTop: Math.round(view.top), viewBottom: Math.round(view.bottom),
    span: Math.round(Math.max(k.bottom, ...c.map(r => r.bottom)) -
                     Math.min(k.top, ...c.map(r => r.top))),
  };
}"""


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def too_wide(found: list[dict]) -> list[str]:
    return [
        f"{f['kind']} #{f['index']} ({f['first']!r}): reaches {f['reach']} px (widest part "
        f"{f['widest']}; widget {f['width']} px, canvas {f['canvas']} px, scrollWidth "
        f"{f['scroll']}) in an output area {f['room']} px wide"
        for f in found
        if f["reach"] > f["room"] + SLACK
        or f["scroll"] > f["room"] + SLACK
        or f["rootScroll"] > f["rootClient"] + SLACK
    ]


SCROLL_TO = """async ([sel, index]) => {
  const out = [...document.querySelector(sel).querySelectorAll('.jp-OutputArea-output')]
    .filter(o => o.querySelector('.jupyter-widgets'))[index];
  out.scrollIntoView({block: 'start'});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def w_index(wide: list[str], f: dict) -> bool:
    return any(w.startswith(f"{f['kind']} #{f['index']} ") for w in wide)


def far_from_sliders(page, found: list[dict], label: str) -> list[str]:
    far = []
    explorers = [f["index"] for f in found if f["kind"] == "explorer"]
    for n, index in enumerate(explorers):
        near = page.evaluate(NEAR, [lab_server.CURRENT, index, CONTROLS])
        shot(page, f"{label}_explorer{n}")
        print(f"{label} explorer {n}: {near}")
        if not near["kerasInView"] or near["controlsInView"] < near["controls"]:
            far.append(
                f"explorer {n}: {near['controlsInView']}/{near['controls']} controls and "
                f"{'the' if near['kerasInView'] else 'not the'} Keras line on screen at once; "
                f"controls {near['controlsTop']}-{near['controlsBottom']} px, Keras line "
                f"{near['kerasTop']}-{near['kerasBottom']} px, notebook visible "
                f"{near['viewTop']}-{near['viewBottom']} px (they need {near['span']} px)"
            )
    return far


SETTLED = """async ([sel, measure]) => {
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  let last = '';
  for (let i = 0; i < 40; i++) {
    await frames();
    await new Promise(r => setTimeout(r, 150));
    const now = JSON.stringify(eval(measure)(sel));
    if (now === last) return true;
    last = now;
  }
  return false;
}"""


def check_size(page, name: str, size: str, sidebar: float) -> list[str]:
    """What is too wide, and which explorers' Keras line is off screen, at the page's size."""
    label = f"narrow_{size}_{name}"
    shot(page, label)
    found = page.evaluate(MEASURE, lab_server.CURRENT)
    kinds = [f["kind"] for f in found]
    assert "question" in kinds and "explorer" in kinds and "other" not in kinds, found
    print(
        f"{label}: window {found[0]['windowWidth']} px, file browser {sidebar:.0f} px; "
        + "; ".join(f"{f['kind']} {f['reach']}/{f['room']}" for f in found)
    )
    wide = too_wide(found)
    for kind in sorted({w.split(" #")[0] for w in wide}):  # a picture of one of each kind
        index = next(f["index"] for f in found if f["kind"] == kind and w_index(wide, f))
        page.evaluate(SCROLL_TO, [lab_server.CURRENT, index])
        shot(page, f"{label}_too_wide_{kind}")
    problems = wide + far_from_sliders(page, found, label)
    return [f"{size}, file browser {sidebar:.0f} px wide: {problem}" for problem in problems]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_narrow_window(lesson, name):
    """The notebook's page, run once (at 1280 x 900 CSS px and a pixel ratio of 1.5, the file
    browser open), shrunk to the zoomed laptop and then to 800 x 900 CSS px, as a learner zooms
    in and drags a window narrower (the layout is in CSS px, so the 800 px check keeps the 1.5
    pixel ratio without changing what it measures). In each: widths, then the Keras line beside
    the controls."""
    page = lesson.page
    lab_session.show_file_browser(page)  # a deck presented on this page before folds it away
    problems = []
    for size in ("zoom150", "800px"):
        page.set_viewport_size(SIZES[size]["viewport"])
        assert page.evaluate(SETTLED, [lab_server.CURRENT, MEASURE]), "the layout kept changing"
        assert page.locator("#filebrowser").is_visible(), "the file browser is not shown"
        sidebar = page.locator("#filebrowser").bounding_box()["width"]
        problems += check_size(page, name, size, sidebar)
    assert not problems, "\n".join(problems)
