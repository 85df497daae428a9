"""A classroom at once: N learners (default 8) sign in to a real workshop hub at the same time,
follow the nbgitpuller link and run notebook 03 cell by cell in a kernel of their own server.

The hub is started as tests/test_hub.py starts it (hub/client.py: `python -m hub.run` on free
loopback ports, a temporary runtime folder). Each learner is a thread: sign-in through the login
form, the printed link (waiting until the course is pulled), a kernel in the learner's server,
every code cell of notebooks/03_the_cs231n_confusion.ipynb. Reported: time from sign-in to the
first output and to the last (p50, p95), the peak memory (VmHWM) of each learner's
jupyterhub-singleuser process and of its kernel, failures (goal 0), and how many learners
24 GiB holds at those peaks. The benchmark accounts (pl-b<run>n<i>) are removed with
`userdel -r` whatever happens.

Needs root, useradd and npm (the proxy); otherwise it says why and exits 0.

    make bench      # or: .venv/bin/python -m bench.classroom [--learners 8]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import shutil
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench._common import ROOT, Results, describe, machine, percentile
from hub import workshop
from hub.client import (
    NOTEBOOK,
    Hub,
    Kernel,
    cmdline,
    install_proxy,
    missing,
    processes_of,
)
from paramlab.core.links import COURSE_FOLDER
from tools.net import wait_until

BUDGET_GIB = 24
OUTPUTS = {"stream", "display_data", "execute_result", "error", "update_display_data"}


@dataclass
class Run:
    """What one learner went through."""

    typed: str
    user: str = ""
    first_output: float | None = None  # seconds from sign-in
    last_output: float | None = None
    server_kb: int | None = None
    kernel_kb: int | None = None
    error: str = ""
    marks: dict[str, float] = field(default_factory=dict)


class _Watched:
    """A kernel websocket that notes when an output message arrives (then passes it on)."""

    def __init__(self, ws, on_output) -> None:
        self._ws = ws
        self._on_output = on_output

    def recv(self):
        raw = self._ws.recv()
        with contextlib.suppress(ValueError, TypeError):
            if json.loads(raw).get("msg_type") in OUTPUTS:
                self._on_output(time.perf_counter())
        return raw

    def __getattr__(self, name):
        return getattr(self._ws, name)


def vm_hwm_kb(pid: int | None) -> int | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def kernel_pids(user: str) -> list[int]:
    return [pid for pid in processes_of(user) if b"ipykernel" in cmdline(pid)]


def learner_run(hub: Hub, link: str, cells: list[str], run: Run) -> None:
    start = time.perf_counter()
    learner = hub.learner(run.typed)
    run.user = learner.user
    run.marks["signed in"] = time.perf_counter() - start
    hub.wait_ready(learner, timeout=300)
    run.marks["server ready"] = time.perf_counter() - start
    events = hub.pull(learner, link, timeout=300)
    if not events or events[-1].get("phase") != "finished":
        raise RuntimeError(f"the pull did not finish: {events[-3:]}")
    wait_until(
        lambda: hub.contents(learner, f"{COURSE_FOLDER}/{NOTEBOOK}").status_code == 200,
        timeout=120,
        what="the pulled notebook",
    )
    run.marks["pulled"] = time.perf_counter() - start
    kernel = Kernel(hub, learner, path=f"{COURSE_FOLDER}/notebooks")
    kernel.ws.settimeout(900)  # a cell may be slow with the whole room computing
    seen: list[float] = []
    kernel.ws = _Watched(kernel.ws, seen.append)
    try:
        for number, source in enumerate(cells, 1):
            result = kernel.run(source, timeout=900)
            if result["status"] != "ok":
                raise RuntimeError(f"code cell {number}: {result['error']}")
        if not seen:
            raise RuntimeError("the notebook ran without a single output")
        run.first_output = seen[0] - start
        run.last_output = seen[-1] - start
        pids = kernel_pids(learner.user)
        run.kernel_kb = max((vm_hwm_kb(pid) or 0) for pid in pids) if pids else None
        run.server_kb = vm_hwm_kb(hub.server_pid(learner.user))
    finally:
        with contextlib.suppress(Exception):
            kernel.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=8, help="learners at once (default 8)")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 999:
        parser.error("--learners is 1 to 999")
    with Results("classroom") as results:
        return measure(results, args.learners)


def measure(results: Results, count: int) -> int:
    print(f"machine: {describe(machine())}")
    reason = missing("the classroom benchmark")
    if reason:
        print(f"bench/classroom.py skipped: {reason}")
        results.add("classroom", None, passed=None, shown="skipped", detail=reason)
        return results.finish()
    install_proxy()
    notebook = json.loads((ROOT / NOTEBOOK).read_text())
    cells = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    runtime = Path(tempfile.mkdtemp(prefix="paramlab-classroom-"))
    hub = Hub(runtime / "state", runtime / "hub.log")
    tag = secrets.token_hex(3)
    width = len(str(count))  # same length: no learner's name is a prefix of another's
    runs = [Run(typed=f"b{tag}n{i:0{width}d}") for i in range(1, count + 1)]
    users = [workshop.system_name(r.typed) for r in runs]
    users.append(workshop.system_name(hub.admin))
    keep_log = False
    print(f"{count} learners: {', '.join(users[:-1])}")
    try:
        hub.start()
        lines = [line.strip() for line in hub.banner.splitlines() if "/git-pull?" in line]
        if len(lines) != 1:
            raise RuntimeError(f"no single nbgitpuller link in the banner:\n{hub.banner}")
        link = lines[0]
        lock = threading.Lock()

        def one(run: Run) -> None:
            try:
                learner_run(hub, link, cells, run)
            except Exception as err:  # a failure counted, the others go on
                run.error = f"{type(err).__name__}: {str(err).strip()[:300]}"
                with lock:
                    print(f"{run.typed}: FAILED: {run.error}", flush=True)
                    traceback.print_exc()
            else:
                with lock:
                    marks = ", ".join(f"{k} {v:.1f} s" for k, v in run.marks.items())
                    print(
                        f"{run.user}: {marks}; first output {run.first_output:.1f} s, "
                        f"last {run.last_output:.1f} s; server {run.server_kb / 1024:.0f} MB, "
                        f"kernel {run.kernel_kb / 1024:.0f} MB",
                        flush=True,
                    )

        started = time.perf_counter()
        with ThreadPoolExecutor(count) as pool:
            list(pool.map(one, runs))
        print(f"all {count} learners done in {time.perf_counter() - started:.1f} s")
        keep_log = report(results, runs, count)
    finally:
        try:
            hub.shut_down(users)
        finally:
            if keep_log or sys.exc_info()[0] is not None:
                print(f"hub log kept: {runtime / 'hub.log'}")
            else:
                shutil.rmtree(runtime, ignore_errors=True)
    return results.finish()


def report(results: Results, runs: list[Run], count: int) -> bool:
    """Add the figures; True when a learner failed (the hub log is then kept)."""
    done = [r for r in runs if not r.error and r.first_output is not None]
    failures = count - len(done)
    results.add(
        f"failures, {count} learners at once",
        failures,
        at_most=0,
        digits=0,
        detail="; ".join(f"{r.typed}: {r.error}" for r in runs if r.error),
    )
    first = [r.first_output for r in done]
    last = [r.last_output for r in done]
    for label, samples in (("first", first), ("last", last)):
        for q in (0.5, 0.95):
            value = percentile(samples, q) if samples else None
            results.add(f"sign-in to {label} output, p{round(q * 100)}", value, "s", digits=1)
    server_mb = max((r.server_kb or 0) for r in done) / 1024 if done else None
    kernel_mb = max((r.kernel_kb or 0) for r in done) / 1024 if done else None
    results.add("peak memory per learner's server (VmHWM, worst)", server_mb, "MB", digits=0)
    results.add("peak memory per learner's kernel (VmHWM, worst)", kernel_mb, "MB", digits=0)
    capacity = None
    if server_mb and kernel_mb:
        capacity = int(BUDGET_GIB * 1024 // (server_mb + kernel_mb))
    results.add(
        f"learners per {BUDGET_GIB} GiB (server + kernel peaks)",
        capacity,
        digits=0,
        detail=f"floor({BUDGET_GIB} GiB / ({server_mb or 0:.0f} + {kernel_mb or 0:.0f} MB))",
    )
    print(f"\nmachine: {describe(machine())}")
    print(f"learners at once: {count}; failures: {failures}")
    if done:
        print(
            f"sign-in to first output: p50 {percentile(first, 0.5):.1f} s, "
            f"p95 {percentile(first, 0.95):.1f} s"
        )
        print(
            f"sign-in to last output:  p50 {percentile(last, 0.5):.1f} s, "
            f"p95 {percentile(last, 0.95):.1f} s"
        )
        print(f"peak per learner: server {server_mb:.0f} MB, kernel {kernel_mb:.0f} MB")
        print(f"learners per {BUDGET_GIB} GiB: {capacity}")
    return failures > 0


if __name__ == "__main__":
    sys.exit(main())
