"""Run every benchmark, each in its own process, then print one table of every figure and its goal.

One benchmark missing its goal or crashing does not stop the others. Each writes its figures to
bench/results/<benchmark>.json (see bench/_common.py); this module reads them back once all have
run. Exit status: 0 when every goal is met and every benchmark finished, 1 otherwise.

    make bench      # or: .venv/bin/python -m bench.run_all [--only course footprint]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from bench._common import QUIET, RESULTS, ROOT, describe, machine

# Cheapest first; one at a time (they time things, and the machine may have two cores).
BENCHMARKS = (
    "explain_vs_summary",
    "slider_latency",
    "course",
    "browser_latency",
    "lite",
    "footprint",
    "classroom",
)
TIMEOUT_S = 45 * 60
PACKAGE = "bench"
"""Each benchmark is the module PACKAGE.<name>, run from the repository root."""


def run(name: str, extra: list[str], timeout: float) -> tuple[int | None, float]:
    """Run the benchmark in a fresh interpreter, output streamed: (exit code or None, seconds)."""
    print(f"\n===== bench/{name}.py {' '.join(extra)}".rstrip(), flush=True)
    (RESULTS / f"{name}.json").unlink(missing_ok=True)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", f"{PACKAGE}.{name}", *extra],
            cwd=ROOT,
            env={**os.environ, **QUIET},
            timeout=timeout,
            check=False,
        )
        code: int | None = done.returncode
    except subprocess.TimeoutExpired:
        code = None
    seconds = time.perf_counter() - start
    status = "timed out" if code is None else f"exit {code}"
    print(f"===== bench/{name}.py: {status} after {seconds:.0f} s", flush=True)
    return code, seconds


def rows_for(name: str, code: int | None, seconds: float) -> tuple[list[list[str]], bool]:
    """The summary rows of one benchmark, and whether it failed (a goal missed or a crash)."""
    path = RESULTS / f"{name}.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        data = {"figures": [], "error": ""}
    rows, failed = [], False
    for fig in data["figures"]:
        verdict = {True: "pass", False: "MISS", None: "-"}[fig["passed"]]
        failed |= fig["passed"] is False
        rows.append([name, fig["name"], fig["shown"], fig["goal"], verdict])
    crash = ""
    if code is None:
        crash = f"timed out after {seconds:.0f} s"
    elif data["error"]:
        crash = data["error"]
    elif not data["figures"]:
        crash = f"exit {code}, no figures written"
    elif code != 0 and not failed:
        crash = f"exit {code} with every goal met"
    if crash:
        rows.append([name, "(benchmark crashed)", crash.splitlines()[-1][:70], "finishes", "CRASH"])
    return rows, failed or bool(crash)


def table(rows: list[list[str]]) -> str:
    header = ["benchmark", "figure", "measured", "goal", "result"]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=BENCHMARKS, help="run only these")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per benchmark")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    chosen = [b for b in BENCHMARKS if not args.only or b in args.only]
    start = time.perf_counter()
    outcomes = [(name, *run(name, [], args.timeout)) for name in chosen]
    rows, failures = [], []
    for name, code, seconds in outcomes:
        bench_rows, failed = rows_for(name, code, seconds)
        rows += bench_rows
        if failed:
            failures.append(name)
    print(f"\n===== summary ({describe(machine())}; {time.perf_counter() - start:.0f} s)")
    print(table(rows))
    if failures:
        print(f"\nmake bench: FAILED ({', '.join(failures)}): a goal missed or a benchmark crashed")
        return 1
    print("\nmake bench: every goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
