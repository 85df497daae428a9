"""What only the hub tests do as a learner: run a shell command in a terminal of the learner's
server (the rest of a learner's client, shared with the classroom benchmark: hub/client.py)."""

from __future__ import annotations

import json
import re
import time

import requests
import websocket

from hub.client import Hub, Learner


def terminal_run(hub: Hub, learner: Learner, command: str, timeout: float = 60) -> tuple[int, str]:
    """Run a shell command in a new terminal of the learner's server; (exit status, output)."""
    base = hub.server_url(learner.user)
    made = requests.post(f"{base}/api/terminals", headers=learner.headers, timeout=30)
    assert made.status_code == 200, (made.status_code, made.text)
    name = made.json()["name"]
    ws = websocket.create_connection(
        f"{base.replace('http://', 'ws://')}/terminals/websocket/{name}",
        header=[f"Authorization: token {learner.token}"],
        timeout=timeout,
    )
    try:
        # the marker is split in the command so the echoed command line never matches it
        ws.send(json.dumps(["stdin", f'{command}; echo "DONE""-$?-"\r']))
        output = ""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = json.loads(ws.recv())
            if message[0] == "stdout":
                output += message[1]
                match = re.search(r"DONE-(\d+)-", output)
                if match:
                    return int(match[1]), output
        raise TimeoutError(f"terminal: no end marker within {timeout} s:\n{output}")
    finally:
        ws.close()
        requests.delete(f"{base}/api/terminals/{name}", headers=learner.headers, timeout=30)
