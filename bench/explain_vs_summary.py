"""explain(model) against model.summary() on keras.applications models, in one process.

Both walk the same built model; summary's output is discarded (printed into a null sink).
Several rounds per model, median time of each, and the median ratio explain / summary.
Goal (issue 2): explain takes at most half the time summary does (ratio <= 0.5).
Reported beside it (issue 18): explain with the cost columns (`batch_size=32`) against summary.

    make bench            # or: .venv/bin/python -m bench.explain_vs_summary --rounds 7
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import time
from contextlib import redirect_stdout

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import keras

import paramlab
from bench._common import Results, describe, machine

MODELS = ("ResNet50", "MobileNetV2", "DenseNet121", "EfficientNetB0", "ConvNeXtTiny")
GOAL = 0.5
BATCH = 32  # the cost columns' batch size


def timed(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def summary_quietly(model) -> None:
    with redirect_stdout(io.StringIO()):
        model.summary(line_length=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--models", nargs="*", default=list(MODELS))
    args = parser.parse_args(argv)
    print(f"machine: {describe(machine())}, keras {keras.__version__} ({keras.backend.backend()})")
    with Results("explain_vs_summary") as results:
        return measure(args, results)


def measure(args: argparse.Namespace, results: Results) -> int:
    print(
        f"{'model':<16}{'layers':>8}{'summary ms':>12}{'explain ms':>12}{'ratio':>8}"
        f"{'costs ms':>10}{'ratio':>8}"
    )
    ratios, cost_ratios = [], []
    for name in args.models:
        model = getattr(keras.applications, name)(weights=None)
        summary_quietly(model)  # warm both paths once
        paramlab.explain(model)
        paramlab.explain(model, batch_size=BATCH)
        t_summary = timed(lambda m=model: summary_quietly(m), args.rounds)
        t_explain = timed(lambda m=model: paramlab.explain(m), args.rounds)
        t_costs = timed(lambda m=model: paramlab.explain(m, batch_size=BATCH), args.rounds)
        ratio, cost_ratio = t_explain / t_summary, t_costs / t_summary
        ratios.append(ratio)
        cost_ratios.append(cost_ratio)
        print(
            f"{name:<16}{len(model.layers):>8}{t_summary * 1e3:>12.1f}{t_explain * 1e3:>12.1f}"
            f"{ratio:>8.3f}{t_costs * 1e3:>10.1f}{cost_ratio:>8.3f}"
        )
        del model
        keras.backend.clear_session()
        gc.collect()
    median = statistics.median(ratios)
    verdict = "meets" if median <= GOAL else "MISSES"
    print(f"median ratio explain/summary: {median:.3f} ({verdict} the goal of <= {GOAL})")
    results.add(
        f"explain / summary time, median over {len(ratios)} models",
        median,
        at_most=GOAL,
        digits=3,
        detail=", ".join(f"{n} {r:.3f}" for n, r in zip(args.models, ratios, strict=True)),
    )
    results.add(
        f"explain(batch_size={BATCH}) / summary time, median over {len(cost_ratios)} models",
        statistics.median(cost_ratios),
        digits=3,
        detail=", ".join(f"{n} {r:.3f}" for n, r in zip(args.models, cost_ratios, strict=True)),
    )
    return results.finish()


if __name__ == "__main__":
    sys.exit(main())
