"""The workshop hub (`make hub`, hub/): a real JupyterHub, real configurable-http-proxy, on free
loopback ports, with two learners who sign in, pull the course with the nbgitpuller link, run a
notebook, cannot reach each other's files, and lose nothing when a kernel or the hub restarts.

Needs root (one Unix account per learner), useradd and npm; without them these tests skip with
the reason, except under CI=true, where they fail. One hub serves the whole module; the test
accounts are removed (`userdel -r`) whatever happens.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import stat
import subprocess
import time
from pathlib import Path

import pytest
from _require import require
from hub_client import terminal_run

from hub import workshop
from hub.client import NOTEBOOK, PYTHON, Hub, Kernel, install_proxy, missing
from paramlab.core.links import COURSE_FOLDER as FOLDER
from tools.net import wait_until


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    require(missing("the hub tests"), "the hub tests")
    install_proxy()
    runtime = tmp_path_factory.mktemp("hub")
    the_hub = Hub(runtime / "state", runtime / "hub.log")
    suffix = secrets.token_hex(3)
    the_hub.names = {"a": f"ta{suffix}", "b": f"tb{suffix}"}  # what the learners type
    try:
        started = time.monotonic()
        the_hub.start()
        the_hub.start_seconds = time.monotonic() - started
        yield the_hub
    finally:
        typed_names = [*the_hub.names.values(), the_hub.admin]
        the_hub.shut_down([workshop.system_name(typed) for typed in typed_names])
        start = getattr(the_hub, "start_seconds", float("nan"))  # nan: it never started
        restart = getattr(the_hub, "restart_seconds", float("nan"))
        print(f"\nhub log: {runtime / 'hub.log'}; hub start {start:.1f} s, restart {restart:.1f} s")


@pytest.fixture(scope="module")
def learners(hub):
    """Learners A and B, signed in through the login form, each with a server and a token."""
    return {key: hub.learner(typed) for key, typed in hub.names.items()}


@pytest.fixture(scope="module")
def pulled(hub, learners):
    """Both learners have followed the printed nbgitpuller link and have the course."""
    link = link_from_banner(hub)
    for learner in learners.values():
        hub.wait_ready(learner)
        events = hub.pull(learner, link)
        assert events[-1]["phase"] == "finished", events
        wait_until(
            lambda lr=learner: hub.contents(lr, f"{FOLDER}/notebooks").status_code == 200,
            timeout=60,
            what=f"{learner.user}'s pulled course",
        )
    return link


def link_from_banner(hub: Hub) -> str:
    lines = [line.strip() for line in hub.banner.splitlines() if "/git-pull?" in line]
    assert len(lines) == 1, hub.banner
    return lines[0]


def home(user: str) -> Path:
    return Path("/home") / user


# -- refusals --------------------------------------------------------------------------------


def test_launcher_refuses_to_start_without_a_password(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARAMLAB_HUB")}
    env["PARAMLAB_HUB_DIR"] = str(tmp_path / "state")
    done = subprocess.run(
        [str(PYTHON), "-m", "hub.run"],
        cwd=workshop.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "PARAMLAB_HUB_PASSWORD is not set" in done.stderr
    assert "no default password" in done.stderr
    assert not (tmp_path / "state").exists()


def test_learner_names_are_checked():
    assert workshop.learner_name_problem("ada") == ""
    assert workshop.learner_name_problem("Team7") == ""
    for odd in ("", "ada smith", "../root", "7up", "ro$t", "a" * 21, "ada;id"):
        assert "Received: username=" in workshop.learner_name_problem(odd), odd
    assert workshop.system_name("Ada") == "pl-ada"
    assert workshop.system_name("pl-ada") == "pl-ada"


def test_wrong_password_is_refused_cleanly(hub):
    typed = "tz" + secrets.token_hex(3)
    session, reply = hub.sign_in(typed, password="not-the-workshop-password")
    assert reply.status_code == 403
    assert "Invalid username or password" in reply.text
    assert 'name="password"' in reply.text  # the login form again
    assert hub.api("GET", f"/users/pl-{typed}").status_code == 404
    assert session.get(f"{hub.url}/hub/home", timeout=30).url.startswith(f"{hub.url}/hub/login")
    with pytest.raises(KeyError):
        pwd.getpwnam(f"pl-{typed}")


@pytest.mark.parametrize("odd", ["ada smith", "../etc", "r00t;id", "émile"])
def test_odd_learner_name_is_refused_with_a_message(hub, odd):
    _, reply = hub.sign_in(odd)
    assert reply.status_code == 400
    assert "A learner name is 1 to 20 lowercase letters and digits" in reply.text
    names = [user["name"] for user in hub.api("GET", "/users").json()]
    assert all(not workshop.learner_name_problem(name) for name in names), names


# -- the course, pulled and run --------------------------------------------------------------


def test_banner_prints_the_link_and_admin_url(hub):
    link = link_from_banner(hub)
    assert link.startswith(f"{hub.url}/hub/user-redirect/git-pull?repo=")
    first = f"lab%2Ftree%2F{FOLDER}%2Fnotebooks%2F00_start_here.ipynb"
    assert f"&targetpath={FOLDER}&urlpath={first}" in link
    assert f"{hub.url}/hub/admin" in hub.banner


def test_each_learner_has_a_private_account_and_the_course(hub, learners, pulled):
    for learner in learners.values():
        folder = home(learner.user)
        info = folder.stat()
        assert stat.S_IMODE(info.st_mode) == 0o700
        assert info.st_uid == pwd.getpwnam(learner.user).pw_uid
        notebook = folder / FOLDER / NOTEBOOK
        assert notebook.stat().st_uid == info.st_uid
        listing = hub.contents(learner, f"{FOLDER}/notebooks").json()
        names = {item["name"] for item in listing["content"]}
        assert {"00_start_here.ipynb", "03_the_cs231n_confusion.ipynb"} <= names
        pid = hub.server_pid(learner.user)
        assert pid, f"no server process runs as {learner.user}"


def test_the_link_opens_the_first_notebook(hub, learners, pulled):
    page = learners["a"].session.get(pulled, timeout=60)
    assert page.status_code == 200
    # where the page goes next
    assert f"lab/tree/{FOLDER}/notebooks/00_start_here.ipynb" in page.text
    opened = learners["a"].session.get(
        f"{hub.server_url(learners['a'].user)}/lab/tree/{FOLDER}/notebooks/00_start_here.ipynb",
        timeout=60,
    )
    assert opened.status_code == 200 and "JupyterLab" in opened.text


def test_notebook_03_runs_to_the_end_in_a_learners_kernel(hub, learners, pulled):
    learner = learners["a"]
    notebook = hub.contents(learner, f"{FOLDER}/{NOTEBOOK}").json()["content"]
    kernel = Kernel(hub, learner, path=f"{FOLDER}/notebooks")
    try:
        who = kernel.run("import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name, os.getcwd())")
        cwd = home(learner.user) / FOLDER / "notebooks"
        assert who["stdout"].split() == [learner.user, str(cwd)]
        cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert len(cells) > 10
        for number, cell in enumerate(cells, 1):
            result = kernel.run(cell["source"])
            assert result["status"] == "ok", f"code cell {number}: {result['error']}"
    finally:
        kernel.kill()


# -- isolation -------------------------------------------------------------------------------


def test_a_learner_cannot_use_anothers_server_through_the_api(hub, learners, pulled):
    a, b = learners["a"], learners["b"]
    path = f"{FOLDER}/{NOTEBOOK}"
    assert hub.contents(a, path).status_code == 200
    assert hub.contents(b, path, owner=a).status_code in (403, 404)
    put = hub.contents(
        b,
        f"{FOLDER}/notes.txt",
        owner=a,
        method="PUT",
        json={"type": "file", "format": "text", "content": "b was here"},
    )
    assert put.status_code in (403, 404)
    # nor with B's signed-in browser session
    assert b.session.get(
        f"{hub.server_url(a.user)}/api/contents/{path}", timeout=30
    ).status_code in (
        403,
        404,
    )
    assert not (home(a.user) / FOLDER / "notes.txt").exists()


def test_a_learner_kernel_cannot_read_or_write_anothers_files(hub, learners, pulled):
    a, b = learners["a"], learners["b"]
    kernel = Kernel(hub, b)
    try:
        for code in (
            f"open({str(home(a.user) / FOLDER / NOTEBOOK)!r}).read()",
            f"open({str(home(a.user) / 'stolen.txt')!r}, 'w')",
            f"import os; os.listdir({str(home(a.user))!r})",
        ):
            result = kernel.run(code)
            assert result["status"] == "error"
            assert result["error"].startswith("PermissionError"), result
    finally:
        kernel.kill()


def test_a_learner_terminal_cannot_read_anothers_files(hub, learners, pulled):
    a, b = learners["a"], learners["b"]
    status, output = terminal_run(hub, b, "whoami; cat " + str(home(a.user) / FOLDER / NOTEBOOK))
    assert b.user in output
    assert status != 0 and "Permission denied" in output
    status, output = terminal_run(hub, b, f"touch {home(a.user)}/stolen.txt")
    assert status != 0 and "Permission denied" in output


# -- nothing lost ----------------------------------------------------------------------------


def test_edits_survive_a_kernel_kill_a_hub_restart_and_a_re_pull(hub, learners, pulled):
    a = learners["a"]
    path = f"{FOLDER}/{NOTEBOOK}"
    marker = f"My notes {secrets.token_hex(4)}"
    model = hub.contents(a, path).json()
    model["content"]["cells"].insert(
        0, {"cell_type": "markdown", "metadata": {}, "source": marker, "id": "learner-notes"}
    )
    saved = hub.contents(
        a, path, method="PUT", json={"type": "notebook", "content": model["content"]}
    )
    assert saved.status_code == 200, saved.text

    def has_marker() -> bool:
        reply = hub.contents(a, path)
        return reply.status_code == 200 and reply.json()["content"]["cells"][0]["source"] == marker

    kernel = Kernel(hub, a, path=f"{FOLDER}/notebooks")
    assert kernel.run("x = 1")["status"] == "ok"
    kernel.kill()
    assert has_marker()

    pid = hub.server_pid(a.user)
    started = time.monotonic()
    hub.stop()
    assert hub.server_pid(a.user) == pid, "the learner's server stopped with the hub"
    hub.start()
    hub.restart_seconds = time.monotonic() - started
    wait_until(lambda: hub.contents(a, "").status_code == 200, timeout=60, what="a's server")
    assert has_marker()
    assert hub.server_pid(a.user) == pid

    # touch it again, then pull: nbgitpuller keeps the learner's edits
    os.utime(home(a.user) / FOLDER / NOTEBOOK)
    events = hub.pull(a, pulled)
    assert events[-1]["phase"] == "finished", events
    assert has_marker()
    on_disk = json.loads((home(a.user) / FOLDER / NOTEBOOK).read_text())["cells"][0]["source"]
    assert "".join(on_disk) == marker


# -- bad links -------------------------------------------------------------------------------


def test_a_link_to_a_missing_notebook_is_a_clear_404(hub, learners, pulled):
    a = learners["a"]
    link = pulled.replace("00_start_here.ipynb", "99_missing.ipynb")
    events = hub.pull(a, link)
    assert events[-1]["phase"] == "finished"
    # JupyterLab's page for the link answers 200 and asks the contents API for the file, which
    # answers a 404 that the page shows as "file not found"
    page = a.session.get(f"{hub.server_url(a.user)}/lab/tree/{FOLDER}/notebooks/99_missing.ipynb")
    assert page.status_code == 200 and "JupyterLab" in page.text
    missing = hub.contents(a, f"{FOLDER}/notebooks/99_missing.ipynb")
    assert missing.status_code == 404
    assert f"'/{FOLDER}/notebooks/99_missing.ipynb' does not exist" in missing.text
    assert hub.contents(a, f"{FOLDER}/{NOTEBOOK}").status_code == 200  # the server is fine


def test_the_instructor_gets_the_admin_page_and_learners_do_not(hub, learners):
    session, reply = hub.sign_in(hub.admin, password=hub.admin_password)
    assert reply.status_code == 200, reply.text[:500]
    assert session.get(f"{hub.url}/hub/admin", timeout=30).status_code == 200
    # the workshop password is not the admin's, and a learner's session gets no admin page
    assert hub.sign_in(hub.admin)[1].status_code == 403
    assert learners["a"].session.get(f"{hub.url}/hub/admin", timeout=30).status_code == 403


def test_idle_culler_runs_as_a_hub_service(hub):
    reply = hub.api("GET", "/services/idle-culler")
    assert reply.status_code == 200, reply.text
    command = reply.json()["command"]
    assert "jupyterhub_idle_culler" in command and "--timeout=3600" in command
