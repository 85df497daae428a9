"""Slider round trip in a real browser: key press to read-out changed, over 50 steps.

JupyterLab and Chromium as in the browser tests (tools/lab_server.py). On notebook 01's
DenseExplorer, each step presses ArrowRight on the `units` slider inside the page and waits, with a
MutationObserver, for the formula read-out to change: browser -> kernel -> formula -> read-out ->
browser. The Keras line that follows after the throttle is timed too, from the same key press.
Goal (issue 5): read-out p95 under 100 ms.

    make bench      # or: .venv/bin/python -m bench.browser_latency --steps 50
"""

from __future__ import annotations

import argparse
import statistics
import sys

from bench._common import Results, describe, machine, percentile
from tools import lab_server

GOAL_MS = 100.0

ROUND_TRIP = """async (sel) => {
  const panel = document.querySelector(sel);
  const out = [...panel.querySelectorAll('.jp-OutputArea-output')]
      .find(o => o.innerText.includes('Keras builds this layer'));
  const handle = out.querySelector('.widget-slider .noUi-handle');
  const html = [...out.querySelectorAll('.widget-html-content')];
  const keras = html.find(h => h.innerText.includes('Keras builds this layer'));
  const readout = html.find(h => h.innerText.includes('Parameters ='));
  const before = readout.innerText, kerasBefore = keras.innerText;
  const changed = (el, old) => new Promise((resolve, reject) => {
    const obs = new MutationObserver(() => {
      if (el.innerText !== old && !el.innerText.includes('checking')) {
        obs.disconnect(); resolve(performance.now());
      }
    });
    obs.observe(el, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { obs.disconnect(); reject(new Error('no change in 10 s')); }, 10000);
  });
  const readoutDone = changed(readout, before);
  const kerasDone = changed(keras, kerasBefore);
  const start = performance.now();
  handle.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));
  const t1 = await readoutDone;
  const t2 = await kerasDone;
  return [t1 - start, t2 - start];
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args(argv)
    print(f"machine: {describe(machine())}")
    with Results("browser_latency") as results:
        if not lab_server.chromium_available():
            raise RuntimeError(f"no Chromium at {lab_server.CHROMIUM}: apt-get install chromium")
        return measure(args, results)


def measure(args: argparse.Namespace, results: Results) -> int:
    from playwright.sync_api import sync_playwright

    with lab_server.server() as lab, sync_playwright() as pw:
        browser = lab_server.launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        lab_server.open_and_run(page, lab.url, "01_dense.ipynb")
        readout, keras = [], []
        for _ in range(args.steps + 3):
            r, k = page.evaluate(ROUND_TRIP, lab_server.CURRENT)
            readout.append(r)
            keras.append(k)
        browser.close()
    readout, keras = readout[3:], keras[3:]  # the first steps warm up the comm path
    print(f"{args.steps} key presses on DenseExplorer's units slider in Chromium")
    print(
        f"read-out changed: p50 {statistics.median(readout):.1f} ms, "
        f"p95 {percentile(readout, 0.95):.1f} ms (goal p95 < {GOAL_MS:.0f} ms)"
    )
    print(
        f"Keras line settled (0.15 s throttle included): p50 {statistics.median(keras):.1f} ms, "
        f"p95 {percentile(keras, 0.95):.1f} ms"
    )
    results.add(
        "browser slider round trip, read-out p95",
        percentile(readout, 0.95),
        "ms",
        below=GOAL_MS,
        digits=1,
        detail=f"p50 {statistics.median(readout):.1f} ms over {args.steps} key presses",
    )
    results.add(
        "browser slider, Keras line settled p95",
        percentile(keras, 0.95),
        "ms",
        digits=0,
        detail=f"p50 {statistics.median(keras):.1f} ms, 0.15 s throttle included",
    )
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
