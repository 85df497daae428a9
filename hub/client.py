"""A learner's client of the workshop hub, for the hub tests and the classroom benchmark: starts
the hub as `make hub` does (`python -m hub.run`) on free loopback ports and talks to it as
learners do (sign-in form, nbgitpuller link, their server's REST API, a kernel's websocket) and
as a script does (the classroom-admin service token).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import requests
import websocket

from hub import workshop
from tools.net import free_port, wait_for_server, wait_until

PYTHON = workshop.VENV / "bin" / "python"
NOTEBOOK = "notebooks/03_the_cs231n_confusion.ipynb"
"""The notebook a learner runs in the hub tests and the classroom benchmark."""


def missing(who: str) -> str:
    """Why this machine cannot run a real hub for `who`, or '' when it can."""
    if os.geteuid() != 0:
        return f"{who} need root (the hub creates a Unix account per learner)"
    for tool in ("useradd", "userdel", "git"):
        if shutil.which(tool) is None:
            return f"{tool} not found"
    if not workshop.PROXY.exists() and shutil.which("npm") is None:
        return "npm not found (the hub's proxy, configurable-http-proxy, comes from npm)"
    try:
        import jupyterhub  # noqa: F401
        import nbgitpuller  # noqa: F401
    except ImportError as err:
        return f"{err.name} is not installed (the hub extra: make hub or the make install step)"
    return ""


def install_proxy() -> None:
    """What `make hub` does first: configurable-http-proxy from npm into hub/node_modules."""
    if not workshop.PROXY.exists():
        subprocess.run(
            ["npm", "ci", "--prefix", str(workshop.HUB), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
        )


@dataclass
class Learner:
    typed: str  # what the learner types at sign-in
    user: str  # the hub's and the system's name (pl-...)
    session: requests.Session
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


class Hub:
    """One workshop hub started through `python -m hub.run`, as `make hub` starts it."""

    def __init__(self, runtime_dir: Path, log_path: Path):
        self.password = "pw-" + secrets.token_urlsafe(12)
        self.service_token = secrets.token_hex(24)
        self.admin_password = secrets.token_hex(20)
        self.admin = "ti" + secrets.token_hex(3)  # never a real workshop's instructor account
        self.port = free_port()
        self.env = {
            **os.environ,
            "PARAMLAB_HUB_PASSWORD": self.password,
            "PARAMLAB_HUB_IP": "127.0.0.1",
            "PARAMLAB_HUB_PORT": str(self.port),
            "PARAMLAB_HUB_API_PORT": str(free_port()),
            "PARAMLAB_PROXY_API_PORT": str(free_port()),
            "PARAMLAB_HUB_DIR": str(runtime_dir),
            "PARAMLAB_HUB_SERVICE_TOKEN": self.service_token,
            "PARAMLAB_HUB_ADMIN": self.admin,
            "PARAMLAB_HUB_ADMIN_PASSWORD": self.admin_password,
        }
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.banner = ""

    # -- the hub process ------------------------------------------------------------------
    def start(self, timeout: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(PYTHON), "-m", "hub.run"],
                cwd=workshop.ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_server(f"{self.url}/hub/api/", self.proc, self.log_tail, timeout=timeout)
        self.banner = self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM, as Ctrl-C or a service manager would; learners' servers keep running."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the hub's own session: hub, proxy, culler
            self.proc.wait(10)

    def shut_down(self, users: list[str]) -> None:
        """Stop these learners' servers through the hub (all at once: each takes seconds), then
        the hub, then remove their accounts, whatever fails on the way."""
        try:
            with ThreadPoolExecutor(len(users)) as pool:
                list(pool.map(self.stop_server, users))
        finally:
            try:
                self.stop()
            finally:
                for user in users:
                    remove_account(user)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    # -- the hub's REST API, with the classroom-admin service token -----------------------
    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.service_token}"}
        kwargs.setdefault("timeout", 30)
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, **kwargs)

    def stop_server(self, user: str) -> None:
        """Ask the hub to stop the learner's server; a hub that does not answer is left be."""
        with contextlib.suppress(requests.RequestException):
            self.api("DELETE", f"/users/{user}/server", timeout=60)

    def server_pid(self, user: str) -> int | None:
        """The pid of the learner's running server, from the processes owned by the learner."""
        pids = processes_of(user)
        found = [pid for pid in pids if b"jupyterhub-singleuser" in cmdline(pid)]
        return found[0] if found else None

    # -- signing in --------------------------------------------------------------------------
    def sign_in(
        self, typed: str, password: str | None = None
    ) -> tuple[requests.Session, requests.Response]:
        session = requests.Session()
        page = session.get(f"{self.url}/hub/login", timeout=30)
        match = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        assert match, "the login form has no _xsrf field"
        reply = session.post(
            f"{self.url}/hub/login",
            data={
                "username": typed,
                "password": self.password if password is None else password,
                "_xsrf": match[1],
            },
            timeout=60,
        )
        return session, reply

    def learner(self, typed: str) -> Learner:
        session, reply = self.sign_in(typed)
        assert reply.status_code == 200, (reply.status_code, reply.url, self.log_tail())
        user = workshop.system_name(typed)
        made = self.api("POST", f"/users/{user}/tokens", json={"note": "test"})
        assert made.status_code == 201, (made.status_code, made.text)
        return Learner(typed=typed, user=user, session=session, token=made.json()["token"])

    def wait_ready(self, learner: Learner, timeout: float = 90) -> None:
        """Wait until the learner's server is ready, starting it if nothing is under way."""

        def ready() -> bool:
            info = self.api("GET", f"/users/{learner.user}").json()
            server = info.get("servers", {}).get("", {})
            if not server and not info.get("pending"):
                self.api("POST", f"/users/{learner.user}/server")
            return bool(server.get("ready"))

        try:
            wait_until(ready, timeout=timeout, every=0.5, what=f"{learner.user}'s server")
        except TimeoutError as err:
            raise AssertionError(f"{err}:\n{self.log_tail()}") from None

    # -- a learner's server -----------------------------------------------------------------
    def server_url(self, user: str) -> str:
        return f"{self.url}/user/{user}"

    def contents(self, learner: Learner, path: str, owner: Learner | None = None, **kwargs):
        """GET (or, with method=, another verb on) `path` in `owner`'s server with the
        learner's token."""
        method = kwargs.pop("method", "GET")
        base = self.server_url((owner or learner).user)
        return requests.request(
            method, f"{base}/api/contents/{path}", headers=learner.headers, timeout=30, **kwargs
        )

    def pull(self, learner: Learner, link: str, timeout: float = 120) -> list[dict]:
        """Follow an nbgitpuller link as a browser does: the link (signed-in cookies) leads to
        nbgitpuller's status page, whose script then streams the pull from git-pull/api."""
        page = learner.session.get(link, timeout=60)
        assert page.status_code == 200, (page.status_code, page.url, page.text[:500])
        assert f"/user/{learner.user}/git-pull" in page.url, page.url
        query = parse_qs(urlparse(page.url).query)
        params = {
            "repo": query["repo"][0],
            "branch": query["branch"][0],
            "targetpath": query["targetpath"][0],
        }
        events = []
        with learner.session.get(
            f"{self.server_url(learner.user)}/git-pull/api",
            params=params,
            stream=True,
            timeout=timeout,
        ) as stream:
            assert stream.status_code == 200, stream.text
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    event = json.loads(line[len("data: ") :])
                    events.append(event)
                    if event.get("phase") in ("finished", "error"):
                        break
        return events


def processes_of(user: str) -> list[int]:
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return []
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                continue
    return pids


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return b""


def remove_account(user: str) -> None:
    """Stop whatever still runs as the learner's account (by pid), then `userdel -r` it."""

    def nothing_left() -> bool:
        pids = processes_of(user)
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return not pids

    with contextlib.suppress(TimeoutError):  # userdel then says what still runs
        wait_until(nothing_left, timeout=4, every=0.2, what=f"{user}'s processes gone")
    try:
        pwd.getpwnam(user)
    except KeyError:
        return
    subprocess.run(["userdel", "-r", user], capture_output=True, check=False)


# -- a kernel over its websocket -----------------------------------------------------------------
class Kernel:
    """A kernel in a learner's server, driven over its websocket (the Jupyter message protocol)."""

    def __init__(self, hub: Hub, learner: Learner, path: str = ""):
        base = hub.server_url(learner.user)
        reply = requests.post(
            f"{base}/api/kernels",
            json={"name": "python3", "path": path},
            headers=learner.headers,
            timeout=60,
        )
        assert reply.status_code == 201, (reply.status_code, reply.text)
        self.id = reply.json()["id"]
        self.url = f"{base}/api/kernels/{self.id}"
        self.headers = learner.headers
        self.session = uuid.uuid4().hex
        ws_url = self.url.replace("http://", "ws://") + "/channels"
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {learner.token}"], timeout=120
        )

    def run(self, code: str, timeout: float = 120) -> dict:
        """Execute `code`; return {'status', 'stdout', 'error'} (error: 'ename: evalue')."""
        msg_id = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "msg_type": "execute_request",
                        "username": "test",
                        "session": self.session,
                        "version": "5.3",
                        "date": "",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        result = {"status": None, "stdout": "", "error": ""}
        idle = False
        deadline = time.monotonic() + timeout
        while not (idle and result["status"]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no reply within {timeout} s to:\n{code[:300]}")
            message = json.loads(self.ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream" and content.get("name") == "stdout":
                result["stdout"] += content["text"]
            elif kind == "error":
                result["error"] = f"{content['ename']}: {content['evalue']}"
            elif kind == "execute_reply":
                result["status"] = content["status"]
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        return result

    def close(self) -> None:
        self.ws.close()

    def kill(self) -> None:
        self.close()
        reply = requests.delete(self.url, headers=self.headers, timeout=60)
        assert reply.status_code == 204, reply.text
