"""`make lab` as a learner types it: the real target, from the repository root, serving the course.

It starts JupyterLab on a free loopback port with no token and without a browser (through
LAB_ARGS), with throw-away Jupyter config, data, runtime, settings and workspace directories, so
nothing of the user's is read or touched. The test checks that the server answers, serves
notebooks/00_start_here.ipynb through the contents API, printed the URL to open, and loaded
paramlab's save hook; then it stops the whole process group, whatever happened.

Before `make lab` passed --allow-root, this failed as root with "Running as root is not
recommended. Use --allow-root to bypass." and exit code 2.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
import warnings
from pathlib import Path

import pytest
from lab_session import SAVE_HOOK_LOADED

from tools import editions
from tools.net import free_port, wait_for_server, wait_until

ROOT = Path(__file__).resolve().parent.parent
STAMP = ".venv/.installed"  # the Makefile's $(STAMP): the install re-runs only when it is stale
START_TIMEOUT_S = 120


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to make and the JupyterLab it started (one process group), SIGKILL if need be."""
    pgid = process.pid  # start_new_session=True: make leads its own group

    def group_gone() -> bool:
        if process.poll() is None:
            return False
        try:
            os.killpg(pgid, 0)  # make is gone; is JupyterLab?
        except ProcessLookupError:
            return True
        return False

    for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        with contextlib.suppress(TimeoutError):
            wait_until(group_gone, timeout=grace, every=0.2, what="make's process group gone")
            return
    process.wait(timeout=10)


BANNERS = {
    "lab": "Starting JupyterLab on notebooks/",
    "lecture": "Lecture mode: JupyterLab opens on 00_start_here.ipynb",
}


@pytest.mark.parametrize("target", list(BANNERS))
def test_make_lab_serves_the_course(tmp_path, target):
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
    )
    command = [make, "--no-print-directory", target]
    stale = subprocess.run([make, "-q", STAMP], cwd=ROOT, env=env, capture_output=True)
    if stale.returncode != 0:
        # .venv is older than pyproject.toml or the Makefile: plain `make lab` would reinstall,
        # which is no business of this test (and may need the network). Start the lab as is.
        warnings.warn(
            f"{STAMP} is stale (make -q exit {stale.returncode}); testing `make lab` with "
            f"-o {STAMP}: run `make lab` once to refresh .venv",
            stacklevel=1,
        )
        command[1:1] = ["-o", STAMP]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    lab_args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        "--IdentityProvider.token= --ServerApp.password= --LabApp.news_url=None"
    )
    command.append(f"LAB_ARGS={lab_args}")
    log_path = tmp_path / "make-lab.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = time.monotonic()

    def output() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        wait_for_server(f"{url}/api/status", process, output, timeout=START_TIMEOUT_S)
        print(f"make lab answered in {time.monotonic() - started:.1f} s")

        model = get_json(f"{url}/api/contents/00_start_here.ipynb")
        assert model["type"] == "notebook" and model["path"] == "00_start_here.ipynb"
        on_disk = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text("utf-8"))
        if target == "lecture":  # the instructor edition: the learner's notebook and its notes
            on_disk = editions.load("00_start_here")
            assert any("instructor" in c["metadata"].get("tags", []) for c in on_disk["cells"])
        assert model["content"]["nbformat"] == 4
        sources = ["".join(c["source"]) for c in on_disk["cells"]]
        assert [c["source"] for c in model["content"]["cells"]] == sources

        with contextlib.suppress(TimeoutError):  # the log lines follow the first answer closely
            wait_until(
                lambda: f"{url}/lab" in output() and SAVE_HOOK_LOADED in output(),
                timeout=15,
                every=0.5,
                what="the URL and the save hook in the log",
            )
        text = output()
        assert BANNERS[target] in text, text
        assert f"{url}/lab" in text, f"make lab did not print the URL to open:\n{text}"
        assert SAVE_HOOK_LOADED in text, f"the paramlab save hook is not loaded:\n{text}"
        assert "pip install" not in text, f"make lab reinstalled a current .venv:\n{text}"
        assert "Running as root is not recommended" not in text
        if os.geteuid() == 0 and target == "lab":  # make lecture's launcher passes it itself
            assert "--allow-root" in text
        if target == "lecture":
            settings = ROOT / "build/lecture/settings/@jupyterlab/apputils-extension"
            fonts = json.loads((settings / "themes.jupyterlab-settings").read_text())
            assert fonts["overrides"]["content-font-size1"] == "20px"
            with urllib.request.urlopen(f"{url}/", timeout=10) as opened:  # follows redirects
                assert opened.geturl() == f"{url}/lab/tree/00_start_here.ipynb"
    finally:
        stop_group(process)
