"""What every benchmark shares: its figures, each against its goal, written as JSON for the summary.

A benchmark makes a `Results`, adds one `Figure` per number it measures and calls `finish()`,
which writes `bench/results/<benchmark>.json` (git-ignored) and returns the exit code: 0 when
every goal is met, 1 when one is missed. Used as a context manager, `Results` also writes the
figures measured so far when the benchmark raises, with the error, so `bench.run_all` can
report what a crash left behind.

    {"benchmark": "course", "machine": {...}, "error": "",
     "figures": [{"name": ..., "measured": 0.99, "unit": "", "shown": "0.99",
                  "goal": "<= 1.5", "passed": true, "detail": "..."}]}

`passed` is null for a figure that is only reported (no goal).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = Path(os.environ.get("PARAMLAB_BENCH_RESULTS", BENCH / "results"))
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}


def percentile(samples: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1) of `samples`."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine() -> dict[str, object]:
    """The machine a figure was measured on, as the summary prints it."""
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    gpu = any(Path("/dev").glob("nvidia[0-9]*")) or Path("/dev/kfd").exists()
    return {
        "arch": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "gpu": gpu,
        "python": platform.python_version(),
    }


def describe(info: dict[str, object]) -> str:
    memory = f", {info['memory_gib']} GiB" if info.get("memory_gib") else ""
    gpu = "GPU present" if info.get("gpu") else "no GPU"
    return f"{info['arch']}, {info['cores']} cores{memory}, {gpu}, Python {info['python']}"


@dataclass
class Figure:
    name: str
    measured: float | None
    unit: str
    shown: str
    goal: str
    passed: bool | None
    detail: str = ""


class Results:
    """The figures of one benchmark run."""

    def __init__(self, benchmark: str) -> None:
        self.benchmark = benchmark
        self.figures: list[Figure] = []
        self.error = ""
        self.path = RESULTS / f"{benchmark}.json"
        self.path.unlink(missing_ok=True)  # never leave a stale file for the summary

    def add(
        self,
        name: str,
        measured: float | None,
        unit: str = "",
        *,
        at_most: float | None = None,
        below: float | None = None,
        goal: str | None = None,
        passed: bool | None = None,
        shown: str | None = None,
        digits: int = 2,
        detail: str = "",
    ) -> Figure:
        """Record a figure. `at_most` / `below` give its goal; with neither it is only reported,
        unless `passed` says otherwise (a figure whose goal is not a number)."""
        suffix = f" {unit}" if unit else ""
        if at_most is not None:
            goal = goal or f"<= {at_most:g}{suffix}"
            passed = measured is not None and measured <= at_most
        elif below is not None:
            goal = goal or f"< {below:g}{suffix}"
            passed = measured is not None and measured < below
        if shown is None:
            shown = "-" if measured is None else f"{measured:,.{digits}f}{suffix}"
        figure = Figure(name, measured, unit, shown, goal or "(reported)", passed, detail)
        self.figures.append(figure)
        return figure

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self.figures if f.passed is False]

    def write(self) -> None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        payload = {
            "benchmark": self.benchmark,
            "machine": machine(),
            "error": self.error,
            "figures": [asdict(f) for f in self.figures],
        }
        self.path.write_text(json.dumps(payload, indent=2) + "\n")

    def finish(self) -> int:
        """Write the figures; 0 when every goal is met, 1 otherwise (or after an error)."""
        self.write()
        for figure in self.missed:
            print(f"MISSED: {figure.name}: {figure.shown} (goal {figure.goal})")
        return 1 if self.missed or self.error else 0

    def __enter__(self) -> Results:
        return self

    def __exit__(self, kind, value, tb) -> bool:
        if kind is not None and not issubclass(kind, (SystemExit, KeyboardInterrupt)):
            self.error = "".join(traceback.format_exception_only(kind, value)).strip()
            self.write()
            traceback.print_exception(kind, value, tb, file=sys.stderr)
            return False
        return False
