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
from pathlib import Path

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


@contextmanager
def jupyterlab(notebooks: Path = ROOT / "notebooks") -> Iterator[str]:
    """Start JupyterLab on a copy of `notebooks`; yield its base URL; stop it afterwards."""
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
            JUPYTER_RUNTIME_DIR=str(work / "runtime"),
            TF_CPP_MIN_LOG_LEVEL="3",
            TF_ENABLE_ONEDNN_OPTS="0",
        )
        command = [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--port={port}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = (work / "server.log").open("w")
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            "JupyterLab did not start:\n" + (work / "server.log").read_text()
                        ) from None
                    time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()


KERNEL_READY = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

ALL_RUN = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null);
}"""


def open_and_run(page, base_url: str, notebook: str, timeout_s: float = 240) -> None:
    """Open a notebook, wait for its kernel, Run All Cells, wait until every cell has run."""
    page.goto(f"{base_url}/lab/tree/{notebook}?reset")  # a fresh workspace: only this notebook
    page.wait_for_function(KERNEL_READY, timeout=timeout_s * 1000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(ALL_RUN, timeout=timeout_s * 1000, polling=500)
    page.wait_for_timeout(1500)  # let widget views and canvases finish rendering


CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
"""The notebook panel on show."""


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
