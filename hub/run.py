"""Start the workshop JupyterHub (`make hub`, or `python -m hub.run` from the repository root):
check the settings, print the links, run JupyterHub in this process on hub/jupyterhub_config.py.

Needs root (the hub creates a Unix account per learner and starts servers as them) and the
proxy that `make hub` installs into hub/node_modules. Settings are environment variables; see
hub/workshop.py. PARAMLAB_HUB_PASSWORD is required: there is no default password.

JupyterHub runs in this process, so its config file imports `hub.workshop` from the same
sys.path (the repository root, which `python -m` puts first) and no variable such as
PYTHONPATH has to reach the learners' servers.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

from jupyterhub.app import JupyterHub

from hub import workshop
from paramlab.core import links


def problems() -> list[str]:
    found = []
    if os.geteuid() != 0:
        found.append(
            "the hub must run as root: it creates an account per learner (useradd) and starts "
            "each learner's server as that account"
        )
    if shutil.which("useradd") is None:
        found.append("useradd not found (Debian package passwd)")
    if not os.access(workshop.PROXY, os.X_OK):
        found.append(f"no proxy at {workshop.PROXY}: run `make hub` (npm ci --prefix hub)")
    singleuser = workshop.VENV / "bin" / "jupyterhub-singleuser"
    if not os.access(singleuser, os.X_OK):
        found.append(f"no {singleuser}: run `make hub` (installs the hub extra into .venv)")
    return found


def blocked_directories() -> list[Path]:
    """Directories on the way to .venv's files and to the Python it links to (pyenv installs
    under /root, mode 0700) that other accounts cannot enter."""
    targets = [workshop.VENV, (workshop.VENV / "bin" / "python").resolve()]
    blocked = []
    for target in targets:
        for folder in reversed(target.parents):
            if not folder.stat().st_mode & 0o001 and folder not in blocked:
                blocked.append(folder)
    return blocked


def let_learners_in() -> None:
    """Learners' servers run the course's .venv: give others traverse (x, never read) on the
    directories that stop them, and say so."""
    for folder in blocked_directories():
        os.chmod(folder, folder.stat().st_mode | 0o001)
        print(
            f"note: made {folder} traversable by other accounts (o+x: they can reach the "
            "course's Python through it, not list it)",
            flush=True,
        )


def main() -> int:
    try:
        settings = workshop.Settings.from_env()
    except workshop.SettingsError as err:
        print(f"paramlab hub: {err}", file=sys.stderr)
        return 2
    found = problems()
    if found:
        print("paramlab hub cannot start:", *(f"  - {p}" for p in found), sep="\n", file=sys.stderr)
        return 2
    let_learners_in()
    settings.runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(settings.runtime_dir, 0o700)  # the hub's database and cookie secret live here
    print_banner(settings)
    os.chdir(settings.runtime_dir)
    # A hub started in the background inherits SIGINT ignored, and so would its idle-culler,
    # which the hub stops with SIGINT: every stop or restart then waited for SIGKILL (~30 s).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    JupyterHub.launch_instance(["-f", str(workshop.HUB / "jupyterhub_config.py"), *sys.argv[1:]])
    return 0


def print_banner(settings: workshop.Settings) -> None:
    """Where the hub is, the link to give learners, the admin page, the idle timeout."""
    hub_url = settings.public_url
    repo = workshop.course_repo()
    print(
        f"Workshop hub at {hub_url} (state in {settings.runtime_dir}; Ctrl-C stops the hub, "
        "learners' servers keep running)",
        "Give learners this link and the workshop password; it signs them in, pulls the course "
        "into their home and opens the first notebook:",
        f"  {links.nbgitpuller_link(hub_url, repo, settings.branch)}",
        f"Admin page (sign in as {settings.admin!r} with PARAMLAB_HUB_ADMIN_PASSWORD): "
        f"{hub_url}/hub/admin" + ("" if settings.admin_password else "  (not set: no admin)"),
        f"Idle servers are stopped after {settings.cull_timeout} s (PARAMLAB_HUB_CULL_TIMEOUT).",
        sep="\n",
        flush=True,
    )
    if repo == str(workshop.ROOT):
        print(
            "note: no git remote 'origin': learners clone this checkout's committed "
            f"{settings.branch!r} branch from {repo}",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
