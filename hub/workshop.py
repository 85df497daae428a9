"""The workshop hub's settings, its learner names and the course link, shared by `hub.run` (the
launcher behind `make hub`), `hub/jupyterhub_config.py` and `hub.authenticator`.

Everything a workshop may change is an environment variable (see `Settings.from_env`); nothing
here starts a process.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from paramlab.core import links

ROOT = Path(__file__).resolve().parent.parent
HUB = ROOT / "hub"
VENV = ROOT / ".venv"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"

USER_PREFIX = "pl-"
# What a learner types at sign-in: 1 to 20 lowercase letters and digits, starting with a letter.
# The system account is USER_PREFIX + that name, so it can never be root or another service.
LEARNER_NAME = re.compile(r"[a-z][a-z0-9]{0,19}")
MIN_PASSWORD = 8  # SharedPasswordAuthenticator's own minimums
MIN_ADMIN_PASSWORD = 32


class SettingsError(ValueError):
    """A setting the hub cannot start with; the message says which variable and why."""


def _port(name: str, default: int) -> int:
    raw = os.environ.get(name, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise SettingsError(
            f"{name} must be a port number from 1 to 65535. Received: {name}={raw!r}"
        )
    return int(raw)


@dataclass(frozen=True)
class Settings:
    ip: str
    port: int
    api_port: int
    proxy_api_port: int
    password: str
    admin_password: str
    admin: str
    runtime_dir: Path
    cull_timeout: int
    branch: str

    @classmethod
    def from_env(cls) -> Settings:
        """Read PARAMLAB_HUB_* variables; refuse a missing or short password (no default)."""
        password = os.environ.get("PARAMLAB_HUB_PASSWORD", "")
        if not password:
            raise SettingsError(
                "PARAMLAB_HUB_PASSWORD is not set. The hub has no default password: choose the "
                "workshop password learners will type, e.g.\n"
                "  PARAMLAB_HUB_PASSWORD='pick-something-long' make hub"
            )
        if len(password) < MIN_PASSWORD:
            raise SettingsError(
                f"PARAMLAB_HUB_PASSWORD must be at least {MIN_PASSWORD} characters. "
                f"Received: {len(password)} characters"
            )
        admin_password = os.environ.get("PARAMLAB_HUB_ADMIN_PASSWORD", "")
        if admin_password and (
            len(admin_password) < MIN_ADMIN_PASSWORD or admin_password == password
        ):
            raise SettingsError(
                f"PARAMLAB_HUB_ADMIN_PASSWORD must be at least {MIN_ADMIN_PASSWORD} characters and "
                f"differ from PARAMLAB_HUB_PASSWORD. Received: {len(admin_password)} characters"
            )
        admin = os.environ.get("PARAMLAB_HUB_ADMIN", "instructor")
        if learner_name_problem(admin):
            raise SettingsError(f"PARAMLAB_HUB_ADMIN: {learner_name_problem(admin)}")
        timeout = os.environ.get("PARAMLAB_HUB_CULL_TIMEOUT", "3600")
        if not timeout.isdigit() or int(timeout) < 1:
            raise SettingsError(
                "PARAMLAB_HUB_CULL_TIMEOUT is the idle time in seconds before a learner's server "
                f"is stopped. Received: PARAMLAB_HUB_CULL_TIMEOUT={timeout!r}"
            )
        return cls(
            ip=os.environ.get("PARAMLAB_HUB_IP", "127.0.0.1"),
            port=_port("PARAMLAB_HUB_PORT", 8000),
            api_port=_port("PARAMLAB_HUB_API_PORT", 8081),
            proxy_api_port=_port("PARAMLAB_PROXY_API_PORT", 8001),
            password=password,
            admin_password=admin_password,
            admin=os.environ.get("PARAMLAB_HUB_ADMIN", "instructor"),
            runtime_dir=Path(os.environ.get("PARAMLAB_HUB_DIR", ROOT / "build" / "hub")).resolve(),
            cull_timeout=int(timeout),
            branch=os.environ.get("PARAMLAB_HUB_BRANCH") or links.branch(ROOT),
        )

    @property
    def public_url(self) -> str:
        host = self.ip if self.ip not in ("", "0.0.0.0", "::") else _hostname()
        return f"http://{host}:{self.port}"


def _hostname() -> str:
    import socket

    return socket.getfqdn()


def course_repo() -> str:
    """What learners' servers clone: origin's public https address, else this clone's path."""
    remote = links.origin(ROOT)
    if not remote:
        return str(ROOT)
    try:
        return links.https_url(remote)
    except ValueError:  # a local path or another scheme: git clones it as it is
        return remote


def learner_name_problem(typed: str) -> str:
    """Why `typed` cannot be a learner name, or "" when it can."""
    name = typed.strip().lower().removeprefix(USER_PREFIX)
    if LEARNER_NAME.fullmatch(name):
        return ""
    return (
        "A learner name is 1 to 20 lowercase letters and digits, starting with a letter "
        f"(for example ada or team7). Received: username={typed!r}"
    )


def system_name(typed: str) -> str:
    """The hub's and the system's name for a learner: 'Ada' -> 'pl-ada' (idempotent)."""
    name = typed.strip().lower()
    return name if name.startswith(USER_PREFIX) else USER_PREFIX + name
