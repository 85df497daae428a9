"""What only the browser tests do with the test JupyterLab (tools/lab_server.py starts it): make
sure paramlab's save hook is enabled, call the server's REST API, shut its kernels down between
tests, open the file browser as a learner keeps it."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from typing import Any

from paramlab.ui import _save_hook

SAVE_HOOK_CONFIG = _save_hook.config_path()
SAVE_HOOK_LOADED = _save_hook.LOADED


def ensure_save_hook() -> None:
    """Enable paramlab's save hook in this environment if its set-up step never ran (make lab
    and binder/postBuild run the same command); the test servers inherit sys.prefix's config."""
    if not SAVE_HOOK_CONFIG.exists():
        subprocess.run([sys.executable, "-m", "paramlab.ui._save_hook"], check=True)


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
