"""`make bench` (bench/run_all.py): every benchmark runs, whatever an earlier one did, and one
table of every figure against its goal ends the output; the exit status says whether all passed.

Before run_all.py, `make bench` listed the benchmarks as separate recipe lines: the first missed
goal (the course benchmark's memory) stopped make, and the browser and footprint benchmarks
never ran. Here four stand-in benchmarks, written with bench/_common.py as the real ones are,
meet a goal, miss one, crash, and meet one after the others.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from bench import run_all
from bench._common import BENCH, ROOT

STAND_INS = {
    "meets": "results.add('ratio to Keras', 0.8, at_most=1.5)",
    "misses": (
        "results.add('peak memory - bare, 06', 160.0, 'MB', at_most=120, "
        "shown='+160 MB (744 vs 584)')\n"
        "    results.add('peak memory, bare keras kernel', 584.0, 'MB', digits=0)"
    ),
    "crashes": "results.add('first figure', 1.0, at_most=2)\n    raise RuntimeError('no kernel')",
    "after": "results.add('p95 seconds', 0.1, 's', below=0.25)",
}
SCRIPT = """import sys
from bench._common import Results
with Results({name!r}) as results:
    {body}
    sys.exit(results.finish())
"""


@pytest.fixture
def stand_ins(tmp_path, monkeypatch):
    """The stand-ins as modules of a package `stand_ins`, run as run_all runs the real ones."""
    package, results = tmp_path / "stand_ins", tmp_path / "results"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, body in STAND_INS.items():
        (package / f"{name}.py").write_text(SCRIPT.format(name=name, body=body))
    monkeypatch.setattr(run_all, "PACKAGE", package.name)
    monkeypatch.setattr(run_all, "RESULTS", results)
    monkeypatch.setattr(run_all, "BENCHMARKS", tuple(STAND_INS))
    monkeypatch.setenv("PARAMLAB_BENCH_RESULTS", str(results))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return results


def summary(out: str) -> list[list[str]]:
    """The rows of the final table (up to the blank line), split on runs of two or more spaces."""
    table = out.split("===== summary", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [re.split(r"\s{2,}", line.strip()) for line in table]


def test_every_benchmark_runs_and_one_table_ends_the_output(stand_ins, capsys):
    code = run_all.main([])
    out = capsys.readouterr().out
    assert code == 1
    for name in STAND_INS:  # each ran, in order, the later ones despite the miss and the crash
        assert f"===== bench/{name}.py: " in out
    rows = summary(out)
    assert rows[0] == ["benchmark", "figure", "measured", "goal", "result"]
    body = {(r[0], r[1]): r[2:] for r in rows[2:] if len(r) == 5}
    assert body[("meets", "ratio to Keras")] == ["0.80", "<= 1.5", "pass"]
    assert body[("misses", "peak memory - bare, 06")] == [
        "+160 MB (744 vs 584)",
        "<= 120 MB",
        "MISS",
    ]
    assert body[("misses", "peak memory, bare keras kernel")] == ["584 MB", "(reported)", "-"]
    assert body[("crashes", "first figure")] == ["1.00", "<= 2", "pass"]
    assert body[("crashes", "(benchmark crashed)")] == [
        "RuntimeError: no kernel",
        "finishes",
        "CRASH",
    ]
    assert body[("after", "p95 seconds")] == ["0.10 s", "< 0.25 s", "pass"]
    assert "make bench: FAILED (misses, crashes)" in out


def test_all_goals_met_exits_zero(stand_ins, capsys):
    assert run_all.main(["--only", "meets", "after"]) == 0
    out = capsys.readouterr().out
    assert "make bench: every goal met" in out
    assert "===== bench/misses.py" not in out
    assert [r[0] for r in summary(out)[2:]] == ["meets", "after"]


def test_make_bench_runs_every_benchmark_through_run_all():
    """`make bench BENCH_ARGS=--help` reaches run_all with the arguments, and run_all's
    choices are every benchmark module in bench/."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    done = subprocess.run(
        # this interpreter, not .venv's: a conda environment has no .venv
        [
            make,
            "-s",
            "-o",
            ".venv/.installed",
            "bench",
            f"PY={sys.executable}",
            "BENCH_ARGS=--help",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: run_all.py"), done.stdout
    benchmarks = {p.stem for p in BENCH.glob("[a-z]*.py")} - {"run_all"}
    assert set(run_all.BENCHMARKS) == benchmarks
    choices = re.search(r"--only \[\{([\w,]+)\}", done.stdout)
    assert choices and set(choices[1].split(",")) == benchmarks, done.stdout
