"""The base explorer: controls keyed by Keras argument name, a read-out in the order a learner
looks (notes beside the controls, the Keras-checked line, then the formula term by term), and a
Keras check that may lag a slider by a beat but always settles on the final value.

A subclass builds its controls from its arguments (`paramlab.ui.explorers._controls`, which checks
them in Keras' voice) and hands them over: `super().__init__(controls={...})`. It computes with
`read(*, name=value, ...) -> Reading` and keeps the learner inside what Keras accepts with
`keep_valid()`, using `lock` and `fit` so that a locked control looks locked and a lowered value
comes back when the constraint lifts.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import ipywidgets as W

from paramlab.bridge._keras_build import keras_available, keras_count, verdict
from paramlab.core.terms import fmt
from paramlab.ui._aria import named
from paramlab.ui._display import STAND_IN_NOTE, full_course_link, show
from paramlab.ui._guard import guarded
from paramlab.ui.explorers._deferred import Deferred
from paramlab.ui.explorers._readout import (
    Reading,
    keras_html,
    notes_html,
    reading_lines,
    readout_html,
)

CHECKING = "Keras builds this layer: checking..."

__all__ = ["Explorer", "Reading"]


class Explorer:
    """Base class: a subclass passes its `controls` and defines `read` (and `keep_valid`).

    `controls` holds the widgets (sliders, drop-downs, checkboxes) keyed by Keras argument.
    """

    def __init__(self, *, controls: Mapping[str, W.ValueWidget]) -> None:
        self.controls: dict[str, W.ValueWidget] = dict(controls)
        self.read(**self.values)  # what Keras would refuse is refused here, before any widget
        self._chosen: dict[str, Any] = self.values  # what the learner last chose, per control
        self._top = {n: c.max for n, c in self.controls.items() if isinstance(c, W.IntSlider)}
        self._notes: list[str] = []
        self._lines: list[str] = []
        self._keras_line = ""
        self._link: str | None = None  # the full course's, in the Keras line without Keras
        self._alarm = False
        self._reading: Reading | None = None
        self._busy = False
        self._notes_html = W.HTML(layout=W.Layout(max_width="100%"))
        self._keras_html = W.HTML(layout=W.Layout(max_width="100%"))
        self._readout = W.HTML(layout=W.Layout(max_width="100%"))
        self._box: W.VBox | None = None
        self._check = Deferred(self._run_check)
        for name, control in self.controls.items():
            control.observe(partial(self._on_change, name), names="value")
        self._refresh()
        self._check.flush()  # the first read-out is complete when it is first shown

    # --- for subclasses ---------------------------------------------------------------------

    def read(self, **values: Any) -> Reading:
        """The reading for these control values; ValueError or TypeError if Keras would refuse
        them. Subclasses name their arguments: `read(self, *, units, input_dim, use_bias)`."""
        raise NotImplementedError

    def keep_valid(self) -> Sequence[str]:
        """Lock or lower controls so the learner stays inside what Keras accepts; return the
        notes that say so (see `lock` and `fit`)."""
        return ()

    def lock(self, name: str, locked: bool, reason: str, *, at: Any = None) -> str:
        """Disable control `name` while `locked` (held at the value `at`, if given) and return
        `reason` to show beside it; enable it again, and return nothing, once the lock lifts."""
        control = self.controls[name]
        control.disabled = locked
        if not locked:
            return ""
        if at is not None and control.value != at:
            control.value = at
        return reason

    def fit(self, name: str, limit: int | None, why: str, *, reason: str = "") -> str:
        """Hold int control `name` at most at `limit` (None: no limit) and say so if that lowered
        what the learner chose; the learner's value comes back when the limit allows it.

        While the limit holds, the control's tooltip gives it, and at the limit the note says
        `name is at most <limit> here: <reason>`: a number typed past the slider's end stops
        there in the browser, which never tells the kernel what was typed, so this note is what
        tells the learner why their 60 shows as 45."""
        control, top, wanted = self.controls[name], self._top[name], self._chosen[name]
        high = top if limit is None else max(control.min, min(top, limit))
        value = min(wanted, high)
        held = f"{name} is at most {fmt(high)} here: {reason}" if high < top and reason else ""
        with control.hold_sync():
            if high >= control.max:
                control.max = high
                control.value = value
            else:
                control.value = value
                control.max = high
            control.tooltip = held or None
        if value < wanted:
            return f"{name} lowered from {fmt(wanted)} to {fmt(value)} to {why}"
        return held if value == high else ""

    # --- the shared loop --------------------------------------------------------------------

    @property
    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    @property
    def text(self) -> str:
        """The plain text of the read-out as now shown, in the order shown: the notes beside the
        controls, the Keras-checked line, then the read-out."""
        return "\n".join(line for line in [*self._notes, self._keras_line, *self._lines] if line)

    @property
    def notes(self) -> tuple[str, ...]:
        """The notes beside the controls: locked controls and lowered values, and why."""
        return tuple(self._notes)

    @property
    def reading(self) -> Reading | None:
        return self._reading

    def settle(self) -> None:
        """Run a pending Keras check now (a notebook cell that sets values can call this)."""
        self._check.flush()

    def update(self, **values: Any) -> None:
        """Set controls by name as a learner would (`update(units=12)`): the read-out follows
        at once, but the Keras check waits for `settle()`, so a benchmark can time the update
        and the check apart."""
        with self._check.held():
            for name, value in values.items():
                self.controls[name].value = value

    def _on_change(self, name: str, change: dict[str, Any]) -> None:
        if self._busy:
            return  # a change `keep_valid` made: not the learner's choice
        if not self.controls[name].disabled:
            self._chosen[name] = change["new"]
        guarded("updating", self._refresh, self._fail)

    def _refresh(self) -> None:
        self._busy = True
        try:
            self._notes = [note for note in self.keep_valid() if note]
        finally:
            self._busy = False
        try:
            reading = self.read(**self.values)
        except (ValueError, TypeError) as err:
            self._reading = None
            self._lines = [f"Keras would refuse this: {err}"]
            self._keras_line = ""
        else:
            self._reading = reading
            self._lines = reading_lines(reading)
            self._keras_line = CHECKING
        self._alarm = False
        self._render()
        if self._reading is not None:
            self._check.schedule()
            if not keras_available():
                self._check.flush()  # nothing to build, so nothing to wait for

    def _run_check(self) -> None:
        reading = self._reading
        if reading is None:
            return
        b = reading.breakdown

        def check() -> tuple[str, bool]:
            count = keras_count(reading.layer, reading.input_shape)
            self._link = full_course_link() if count.absent else None
            return verdict(count, b.total, b.trainable, link=self._link)

        line, agrees = guarded("checking with Keras", check, lambda message: (message, False))
        self._alarm = not agrees
        self._keras_line = line
        self._keras_html.value = keras_html(line, not self._alarm, link=self._link)

    def _fail(self, message: str) -> None:
        self._check.pending = False
        self._reading = None
        self._keras_line = ""
        self._lines = [message]
        self._alarm = True
        self._render()

    def _render(self) -> None:
        self._notes_html.value = notes_html(self._notes)
        self._keras_html.value = keras_html(self._keras_line, not self._alarm, link=self._link)
        failed = self._reading is None and self._alarm
        self._readout.value = readout_html(self._lines, alarm=failed)

    # --- display ----------------------------------------------------------------------------

    def widget(self) -> W.VBox:
        """The controls (wrapping to the notebook's width), the notes beside them, the Keras line
        under them, and the term-by-term read-out below."""
        if self._box is None:
            controls = W.Box(
                list(self.controls.values()),
                layout=W.Layout(display="flex", flex_flow="row wrap", max_width="100%"),
            )
            self._box = W.VBox(
                [controls, self._notes_html, self._keras_html, self._readout],
                layout=W.Layout(max_width="100%"),
            )
        return self._box

    def static_html(self) -> str:
        """The read-out as HTML for a view without a kernel: the same content as the live view
        (and deterministic: no ids, no times)."""
        parts = [
            notes_html(self._notes),
            keras_html(self._keras_line, not self._alarm, link=self._link),
            readout_html(self._lines, alarm=self._reading is None and self._alarm),
        ]
        return (
            f"<div class='paramlab-static'>{''.join(parts)}"
            f"<p style='margin:0.3em 0 0 0'><i>{html.escape(STAND_IN_NOTE)}</i></p></div>"
        )

    def _ipython_display_(self) -> None:
        self.settle()
        show(named(self.widget()), self.text, html_text=self.static_html())
