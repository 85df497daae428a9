"""The deferred Keras check: inside a Jupyter kernel it waits for the controls to rest for
`CHECK_DELAY` seconds, then runs once, on the final values; anywhere else it runs at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    else (a script, a test) unless `held()`. `flush()` runs a pending call now."""

    def __init__(self, fn: Callable[[], None], delay: float = CHECK_DELAY) -> None:
        self.fn = fn
        self.delay = delay
        self._held = False
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False

    def schedule(self) -> None:
        self.pending = True
        loop = kernel_loop()
        if loop is None:
            if not self._held:
                self.flush()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self.flush)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Within this block, a call scheduled outside a kernel waits for `flush()`."""
        self._held = True
        try:
            yield
        finally:
            self._held = False

    def flush(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self.pending:
            self.pending = False
            self.fn()
