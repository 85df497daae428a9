"""`make bench` (bench/run_all.py): every benchmark runs, whatever an earlier one did, and one
table of every figure against its goal ends the output; the exit status says whether all passed.

Before run_all.py, `make bench` listed the benchmarks as separate recipe lines: the first missed
goal (the course benchmark's memory) stopped make, and the browser and footprint benchmarks
never ran. Here four stand-in benchmarks, written with bench/_common.py as the real ones are,
meet a goal, miss one, crash, and meet one after the others.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import run_all  # noqa: E402

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
from _common import Results
with Results({name!r}) as results:
    {body}
    sys.exit(results.finish())
"""


@pytest.fixture
def stand_ins(tmp_path, monkeypatch):
    bench, results = tmp_path / "bench", tmp_path / "results"
    bench.mkdir()
    for name, body in STAND_INS.items():
        (bench / f"{name}.py").write_text(SCRIPT.format(name=name, body=body))
    monkeypatch.setattr(run_all, "BENCH", bench)
    monkeypatch.setattr(run_all, "RESULTS", results)
    monkeypatch.setattr(run_all, "BENCHMARKS", tuple(STAND_INS))
    monkeypatch.setenv("PARAMLAB_BENCH_RESULTS", str(results))
    monkeypatch.setenv("PYTHONPATH", str(BENCH))
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


def test_the_makefile_runs_them_all_through_run_all():
    makefile = (BENCH.parent / "Makefile").read_text()
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert "bench/run_all.py" in recipe
    assert [line for line in recipe.splitlines()[1:] if line.strip()] == [
        "\t$(PY) bench/run_all.py $(BENCH_ARGS)"
    ]
    assert set(run_all.BENCHMARKS) == {p.stem for p in BENCH.glob("[a-z]*.py")} - {"run_all"}
