"""Names for the controls that ipywidgets leaves unnamed, so a screen reader can say them, and
arrow keys for the controls that JupyterLab would otherwise take them from.

ipywidgets 8 draws a slider with noUiSlider: its handle (`role="slider"`, the part that takes
the keyboard) gets no `aria-label`, and the `<label>` beside it names nothing (axe:
`aria-input-field-name`). Its Play control is three icon-only buttons (axe: `button-name`).
Neither can be named from the kernel, so each explorer and picture is displayed beside a
hidden `Output` holding a short script (an `application/javascript` output, which JupyterLab runs
because a widget's outputs are trusted). Once per page it starts a `MutationObserver` that
names, inside every `.paramlab-named` box:

- each slider handle after the slider's own description (`units`, `output step`), again
  whenever ipywidgets redraws the slider (it does when the slider's range changes);
- the Play control's buttons: "Play" (or "Pause" while playing), "Stop", "Repeat" (with
  `aria-pressed`);
- and it marks slider handles, radio groups and drop-downs `data-lm-suppress-shortcuts`, so
  JupyterLab's command-mode shortcuts leave their arrow keys alone: without it ArrowUp and
  ArrowDown on a focused radio button select the cell above or below instead of the next option.

Nothing else changes: the widgets, their keyboard behaviour and the static stand-ins are as
ipywidgets draws them. Where no script runs (a static view), nothing is lost that was there.

Widget layer: imports ipywidgets only.
"""

from __future__ import annotations

import ipywidgets as W

NAMED_CLASS = "paramlab-named"  # written out in SCRIPT too

SCRIPT = """(() => {
  if (window.paramlabNames) { window.paramlabNames(); return; }
  const set = (el, name, value) => {
    if (el && el.getAttribute(name) !== value) el.setAttribute(name, value);
  };
  const name = () => {
    for (const box of document.querySelectorAll('.paramlab-named')) {
      for (const el of box.querySelectorAll(
        '.noUi-handle, .widget-radio-box input, .widget-dropdown select'
      )) {
        set(el, 'data-lm-suppress-shortcuts', 'true');
      }
      for (const slider of box.querySelectorAll('.widget-slider')) {
        const label = slider.querySelector('.widget-label');
        const text = label ? label.textContent.trim() : '';
        if (!text) continue;
        for (const handle of slider.querySelectorAll('.noUi-handle')) {
          set(handle, 'aria-label', text);
        }
      }
      for (const play of box.querySelectorAll('.widget-play')) {
        const [toggle, stop, repeat] = play.querySelectorAll('button');
        const icon = toggle && toggle.querySelector('i');
        const playing = !!icon && icon.classList.contains('fa-pause');
        set(toggle, 'aria-label', playing ? 'Pause' : 'Play');
        set(stop, 'aria-label', 'Stop');
        set(repeat, 'aria-label', 'Repeat');
        if (repeat) set(repeat, 'aria-pressed', String(repeat.classList.contains('mod-active')));
      }
    }
  };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; name(); });
  };
  window.paramlabNames = name;
  new MutationObserver(soon).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['class'],
  });
  name();
})();"""


def script() -> W.Output:
    """A hidden output whose only content is `SCRIPT`."""
    output = W.Output(layout=W.Layout(display="none"))
    output.outputs = (
        {
            "output_type": "display_data",
            "data": {"application/javascript": SCRIPT},
            "metadata": {},
        },
    )
    return output


def named(box: W.Widget) -> W.VBox:
    """`box` as displayed: inside a box as wide as it may be, with the naming script beside it."""
    outer = W.VBox([box, script()], layout=W.Layout(width="100%", max_width="100%", min_width="0"))
    outer.add_class(NAMED_CLASS)
    return outer
