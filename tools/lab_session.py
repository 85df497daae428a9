"""A real JupyterLab on loopback and a real Chromium driving it, for the browser tests and the
browser benchmark.

JupyterLab runs from this project's .venv on 127.0.0.1 with a free port and no token, on a
throw-away copy of notebooks/, with its own settings (the course's binder/overrides.json, plus
windowing off so every cell renders) and stops when the `with` block ends. Chromium is Debian's
(/usr/bin/chromium, or PARAMLAB_CHROMIUM), launched by Playwright without its own download.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PARAMLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TEST_SETTINGS = {
    # Render every cell, not only those near the viewport, so the page can be read whole.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_settings(settings_dir: Path) -> None:
    """User settings from the course's overrides plus the test-only ones, one file per plugin."""
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))
    for plugin, values in {**overrides, **TEST_SETTINGS}.items():
        package, name = plugin.split(":")
        path = settings_dir / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


SAVE_HOOK_CONFIG = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d/paramlab.json"
SAVE_HOOK_LOADED = "paramlab: saved notebooks keep static stand-ins"
"""What paramlab.ui._save_hook logs when the server loads it."""


def ensure_save_hook() -> None:
    """Enable paramlab's save hook in this environment if its set-up step never ran (make lab
    and binder/postBuild run the same command); the test servers inherit sys.prefix's config."""
    if not SAVE_HOOK_CONFIG.exists():
        subprocess.run([sys.executable, "-m", "paramlab.ui._save_hook"], check=True)


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL, the notebooks folder it serves, its log file."""

    url: str
    root: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def server(notebooks: Path = ROOT / "notebooks") -> Iterator[Lab]:
    """Start JupyterLab on a copy of `notebooks`; yield it; stop it afterwards."""
    jupyter = Path(sys.executable).parent / "jupyter"
    with tempfile.TemporaryDirectory(prefix="paramlab-lab-") as tmp:
        work = Path(tmp)
        root = work / "notebooks"
        shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        write_settings(work / "settings")
        port = free_port()
        env = dict(
            os.environ,
            JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
            JUPYTER_CONFIG_DIR=str(work / "config"),
            JUPYTER_DATA_DIR=str(work / "data"),  # the notebook-trust database, among others
            JUPYTER_RUNTIME_DIR=str(work / "runtime"),
            # questions answered in these kernels are not a learner's: a throw-away record
            PARAMLAB_PROGRESS=str(work / "progress.json"),
            TF_CPP_MIN_LOG_LEVEL="3",
            TF_ENABLE_ONEDNN_OPTS="0",
        )
        command = [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            # the tests call the REST API without a browser's XSRF cookie (loopback, no token)
            "--ServerApp.disable_check_xsrf=True",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log_path = work / "server.log"
        log = log_path.open("w")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process, log_path)
            yield Lab(url=url, root=root, log=log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@contextmanager
def jupyterlab(notebooks: Path = ROOT / "notebooks") -> Iterator[str]:
    """Start JupyterLab on a copy of `notebooks`; yield its base URL; stop it afterwards."""
    with server(notebooks) as lab:
        yield lab.url


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout_s: float = 90) -> None:
    """Return once the server at `url` answers /api/status; raise with its log if it exits."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"JupyterLab did not start (exit code {process.poll()}):\n"
                    + log.read_text(encoding="utf-8", errors="replace")
                ) from None
            time.sleep(0.5)


def api(url: str, path: str, method: str = "GET") -> Any:
    """Call the Jupyter server's REST API (no token: the test servers run without one)."""
    request = urllib.request.Request(f"{url}{path}", method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return json.loads(body) if body else None


def shutdown_kernels(url: str) -> None:
    """Shut down every session and kernel of the server at `url`, so kernels from one test
    (each holds TensorFlow, about half a gigabyte) do not pile up behind the next."""
    for session in api(url, "/api/sessions"):
        api(url, f"/api/sessions/{session['id']}", method="DELETE")
    for kernel in api(url, "/api/kernels"):
        api(url, f"/api/kernels/{kernel['id']}", method="DELETE")


KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

RUN_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const errors = [];
  cells.forEach((c, i) => {
    for (let j = 0; j < c.model.outputs.length; j++) {
      const o = c.model.outputs.get(j).toJSON();
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
    }
  });
  const waiting = cells.map((c, i) => c.model.executionCount === null ? i : -1)
    .filter(i => i >= 0);
  return {idle: !!k && k.status === 'idle', errors, waiting, kernel: k ? k.status : 'none'};
}"""
"""Where Run All is: kernel idle?, error outputs, code cells (by index) not run yet."""

ALL_RUN = (
    "() => { const s = (" + RUN_STATE + ")();\n"
    "  return s.idle && (s.waiting.length === 0 || s.errors.length > 0); }"
)
"""Run All is over: every code cell ran, or one failed (and the rest will not run)."""


def open_notebook(page, base_url: str, notebook: str, timeout_s: float = 240) -> None:
    """Open a notebook in a fresh workspace (only this notebook) and wait for its kernel."""
    page.goto(f"{base_url}/lab/tree/{notebook}?reset")
    page.wait_for_function(KERNEL_READY, timeout=timeout_s * 1000)


def run_all(page, timeout_s: float = 240) -> None:
    """Run All Cells in the notebook on show and wait until every cell has run; fail at once,
    with the error, if a cell raises (Run All stops there), and say which cells never ran."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    try:
        page.wait_for_function(ALL_RUN, timeout=timeout_s * 1000, polling=500)
    except Exception as timeout:
        state = page.evaluate(RUN_STATE)
        raise AssertionError(f"Run All did not finish in {timeout_s:.0f} s: {state}") from timeout
    state = page.evaluate(RUN_STATE)
    assert not state["errors"], f"Run All stopped at an error: {state['errors']}"
    page.wait_for_timeout(1500)  # let widget views and canvases finish rendering


def open_and_run(page, base_url: str, notebook: str, timeout_s: float = 240) -> None:
    """Open a notebook, wait for its kernel, Run All Cells, wait until every cell has run."""
    open_notebook(page, base_url, notebook, timeout_s)
    run_all(page, timeout_s)


SHOW_FILE_BROWSER = """async () => {
  const app = window.jupyterapp;
  app.shell.expandLeft();
  app.shell.activateById('filebrowser');
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const fb = document.getElementById('filebrowser');
  return fb ? fb.getBoundingClientRect().width : 0;
}"""


def show_file_browser(page) -> float:
    """Open the left sidebar on the file browser, as a learner keeps it; returns its width."""
    return page.evaluate(SHOW_FILE_BROWSER)


CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
"""The notebook panel on show."""


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
