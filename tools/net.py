"""Ports and waiting, for whatever starts a server on loopback (the test JupyterLab, the
workshop hub, `make lab` under test): a free port, and polling until something holds."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], T], *, timeout: float, every: float = 0.3, what: str) -> T:
    """Call `check` every `every` seconds until it returns something true, and return that;
    TimeoutError naming `what` after `timeout` seconds. An exception from `check` ends the wait."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:g} s")
        time.sleep(every)


def answers(url: str) -> bool:
    """Whether `url` answers a GET with a success status."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:  # refused, reset, timed out, or an HTTP error status
        return False


def wait_for_server(
    url: str, process: subprocess.Popen, log: Callable[[], str], *, timeout: float
) -> None:
    """Return once `url` answers; RuntimeError with the server's log if `process` exits first
    or `timeout` seconds pass."""

    def up() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}):\n{log()}")
        return answers(url)

    try:
        wait_until(up, timeout=timeout, what=f"{url} answering")
    except TimeoutError as err:
        raise RuntimeError(f"{err}:\n{log()}") from None
