"""The explorer machinery: controls keyed by Keras argument name, a live read-out, and a Keras
check that may lag a slider by a beat but always settles on the final value."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as W

from paramlab._display import display_with_text
from paramlab._keras_build import KerasCount, keras_count, verdict
from paramlab.terms import Breakdown, fmt

CHECK_DELAY = 0.15  # seconds of slider quiet before Keras builds the layer


def kernel_loop() -> asyncio.AbstractEventLoop | None:
    """The running event loop of a Jupyter kernel, if this code runs inside one.

    Only a kernel's loop is sure to run again once the current callback returns; elsewhere (a
    script, a test, a tool that runs a loop of its own) a deferred call might never happen.
    """
    try:
        from ipykernel.zmqshell import ZMQInteractiveShell
        from IPython import get_ipython
    except ImportError:
        return None
    if not isinstance(get_ipython(), ZMQInteractiveShell):
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Deferred:
    """Run `fn` soon: after `delay` seconds of quiet inside a Jupyter kernel, at once anywhere
    else (a script, a test). `flush()` runs a pending call now."""

    def __init__(self, fn: Callable[[], None], delay: float = CHECK_DELAY) -> None:
        self.fn = fn
        self.delay = delay
        self.defer_outside_kernel = False  # benchmarks set this to time the check separately
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False

    def schedule(self) -> None:
        self.pending = True
        loop = kernel_loop()
        if loop is None:
            if not self.defer_outside_kernel:
                self.flush()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.flush)

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self.pending:
            self.pending = False
            self.fn()


@dataclass(frozen=True)
class Reading:
    """What an explorer computed for the current control values."""

    heading: str
    breakdown: Breakdown | None
    extra: tuple[str, ...] = ()
    error: str = ""
    kind: str = ""
    config: dict[str, Any] = field(default_factory=dict)
    input_shape: tuple[int | None, ...] = ()


class Explorer:
    """Base class: subclasses make `controls()` and `read(values)`; the rest is shared."""

    def __init__(self) -> None:
        self.sliders: dict[str, W.ValueWidget] = self.controls()
        for name, control in self.sliders.items():
            control.description = control.description or name
            control.style = {"description_width": "initial"}
        self._readout = W.HTML()
        self._keras_html = W.HTML()
        self._lines: list[str] = []
        self._keras_line = ""
        self._busy = False
        self._reading: Reading | None = None
        self.last_keras: KerasCount | None = None
        self._check = Deferred(self._run_check)
        for control in self.sliders.values():
            control.observe(self._on_change, names="value")
        self._refresh()
        self._check.flush()  # the first read-out is complete when it is first shown

    # --- for subclasses ---------------------------------------------------------------------

    def controls(self) -> dict[str, W.ValueWidget]:
        raise NotImplementedError

    def read(self, values: dict[str, Any]) -> Reading:
        raise NotImplementedError

    def keep_valid(self) -> None:
        """Adjust control limits so the learner stays inside what Keras accepts."""

    # --- the shared loop --------------------------------------------------------------------

    @property
    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.sliders.items()}

    @property
    def text(self) -> str:
        """The plain text of the read-out as now shown."""
        return "\n".join([*self._lines, self._keras_line])

    @property
    def reading(self) -> Reading | None:
        return self._reading

    def settle(self) -> None:
        """Run a pending Keras check now (a notebook cell that sets values can call this)."""
        self._check.flush()

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._busy:
            self._refresh()

    def _refresh(self) -> None:
        self._busy = True
        try:
            self.keep_valid()
        finally:
            self._busy = False
        try:
            reading = self.read(self.values)
        except (ValueError, TypeError) as err:
            reading = Reading(heading="", breakdown=None, error=str(err))
        self._reading = reading
        self._lines = self._format(reading)
        self._readout.value = self._html(self._lines)
        if reading.breakdown is None:
            self._keras_line = ""
            self._keras_html.value = ""
            return
        self._keras_line = "Keras builds this layer: checking..."
        self._keras_html.value = html.escape(self._keras_line)
        self._check.schedule()

    def _run_check(self) -> None:
        reading = self._reading
        if reading is None or reading.breakdown is None:
            return
        count = keras_count(reading.kind, reading.config, reading.input_shape)
        self.last_keras = count
        b = reading.breakdown
        line, agrees = verdict(count, b.total, b.trainable)
        self._keras_line = line
        colour = "#0072B2" if agrees else "#D55E00"
        weight = "normal" if agrees else "bold"
        self._keras_html.value = (
            f"<div style='color:{colour};font-weight:{weight}'>{html.escape(line)}</div>"
        )

    @staticmethod
    def _format(reading: Reading) -> list[str]:
        if reading.breakdown is None:
            return [f"Keras would refuse this: {reading.error}"]
        b = reading.breakdown
        lines = [reading.heading, f"Parameters = {b.expression}"]
        lines += [
            f"  {t.path} {t.shape}: {t.formula}" + ("" if t.trainable else "  (non-trainable)")
            for t in b.terms
        ]
        lines.append(
            f"Trainable: {fmt(b.trainable)}   Non-trainable: {fmt(b.non_trainable)}   "
            f"Total: {fmt(b.total)}"
        )
        lines += list(reading.extra)
        return lines

    @staticmethod
    def _html(lines: list[str]) -> str:
        body = "<br>".join(html.escape(line).replace("  ", "&nbsp;&nbsp;") for line in lines)
        return f"<div style='font-family:monospace;line-height:1.5'>{body}</div>"

    def widget(self) -> W.VBox:
        controls = W.Box(
            list(self.sliders.values()),
            layout=W.Layout(display="flex", flex_flow="row wrap", gap="4px 16px"),
        )
        return W.VBox([controls, self._readout, self._keras_html])

    def _ipython_display_(self) -> None:
        display_with_text(self.widget(), self.text)


def int_slider(value: int, low: int, high: int, description: str = "") -> W.IntSlider:
    return W.IntSlider(
        value=value, min=low, max=high, description=description, continuous_update=True
    )


def checkbox(value: bool, description: str) -> W.Checkbox:
    return W.Checkbox(value=value, description=description, indent=False)


def dropdown(value: str, options: tuple[str, ...], description: str) -> W.Dropdown:
    return W.Dropdown(value=value, options=list(options), description=description)
