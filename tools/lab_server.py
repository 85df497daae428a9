"""A real JupyterLab on loopback and a real Chromium driving it, for the browser tests and the
browser benchmark.

JupyterLab runs from this project's .venv on 127.0.0.1 with a free port and no token, on a
throw-away copy of notebooks/ with a throw-away progress record, with its own settings (the
course's binder/overrides.json, plus windowing off so every cell renders) and stops when the
`with` block ends. Chromium is Debian's (/usr/bin/chromium, or PARAMLAB_CHROMIUM), launched by
Playwright without its own download. The page helpers open a notebook and Run All in it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tools.net import free_port, wait_for_server

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
START_TIMEOUT_S = 90


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def write_settings(settings_dir: Path) -> None:
    """User settings from the course's overrides plus the test-only ones, one file per plugin."""
    overrides = json.loads((ROOT / "binder" / "overrides.json").read_text(encoding="utf-8"))
    for plugin, values in {**overrides, **TEST_SETTINGS}.items():
        package, name = plugin.split(":")
        path = settings_dir / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL, the notebooks folder it serves, its log file."""

    url: str
    root: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def lab_command(root: Path, port: int) -> list[str]:
    """`jupyter lab` from this environment on 127.0.0.1:`port`, serving `root`, no token."""
    command = [
        str(Path(sys.executable).parent / "jupyter"),
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
    return command


@contextmanager
def server(notebooks: Path = ROOT / "notebooks") -> Iterator[Lab]:
    """Start JupyterLab on a copy of `notebooks`; yield it; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="paramlab-lab-") as tmp:
        work = Path(tmp)
        root = work / "notebooks"
        shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        write_settings(work / "settings")
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
        port = free_port()
        lab = Lab(url=f"http://127.0.0.1:{port}", root=root, log=work / "server.log")
        with lab.log.open("w") as log:
            process = subprocess.Popen(
                lab_command(root, port), env=env, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                wait_for_server(
                    f"{lab.url}/api/status", process, lab.log_text, timeout=START_TIMEOUT_S
                )
                yield lab
            finally:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


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

CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
"""The notebook panel on show."""


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
