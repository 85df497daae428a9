"""The browser edition in Chromium, for its tests and its benchmark: a static server on this
machine for the built folder, and a browser context that lets no request leave it.

The folder served is the one that holds `lite/` (and `site/`, when deployed together): exactly
what a static host would serve. Every request that is not to this server is blocked and
recorded; a test fails on any. Chromium as in the other browser tests (tools/lab_server.py).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools import lab_server

CURRENT = lab_server.CURRENT
KERNEL_READY = lab_server.KERNEL_READY


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the standard library's own attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        outputfile.write(data)
        with self.server.lock:
            self.server.sent += len(data)


class _Server(http.server.ThreadingHTTPServer):
    """Counts the bytes of the files it served: what every page, worker and service worker
    of the browser downloaded from it, whoever asked."""

    sent = 0
    lock = threading.Lock()


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) from a thread; yield its base URL."""
    with served(folder) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def served(folder: Path) -> Iterator[_Server]:
    """`static_server`, yielding the server itself (its `sent` counts the bytes served)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Visit:
    """A browser context kept to one server: what it tried to reach elsewhere, the console
    errors and uncaught exceptions its pages logged."""

    base: str
    context: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, browser, base: str) -> Visit:
        visit = cls(base, browser.new_context(viewport={"width": 1280, "height": 900}))
        visit.context.route("**/*", visit._route)
        # which address failed: the console's own line does not say (workers' requests too)
        visit.context.on("response", visit._failed)
        return visit

    def _failed(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"HTTP {response.status} {response.url}")

    def _route(self, route) -> None:
        url = route.request.url
        if url == self.base or url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def page(self):
        page = self.context.new_page()
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        return page

    def close(self) -> None:
        self.context.close()


def lesson_url(base: str, notebook: str) -> str:
    return f"{base}/lite/lab/index.html?path={notebook}"


def open_lesson(page, base: str, notebook: str, timeout_s: float = 120) -> float:
    """Open `notebook` in the browser edition and wait until its Pyodide kernel is idle;
    return the seconds that took."""
    start = time.perf_counter()
    page.goto(lesson_url(base, notebook))
    page.wait_for_function(
        f"() => ({KERNEL_READY})() && window.jupyterapp.shell.currentWidget.context.path"
        f" === {notebook!r}",
        timeout=timeout_s * 1000,
        polling=200,
    )
    return time.perf_counter() - start


RUN_IN_KERNEL = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let out = '';
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') out += msg.content.text;
    const c = msg.content;
    if (msg.header.msg_type === 'error') out += 'ERROR ' + c.ename + ': ' + c.evalue;
  };
  await future.done;
  return out;
}"""


def run_in_kernel(page, code: str) -> str:
    """Run `code` in the notebook's kernel (not in a cell); what it printed."""
    return page.evaluate(RUN_IN_KERNEL, code)
