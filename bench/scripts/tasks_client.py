"""The task benchmark's client, run by bench/run.py in a project's folder and environment.

Sends a no-op task to the project's Celery app, whose worker runs beside it:
`--calls` sequential round trips (send, wait for the result), then `--tasks`
tasks sent at once and waited for together. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--settings", required=True, help="the project's Django settings module")
    parser.add_argument("--task", required=True, help="dotted path of the no-op task, e.g. notes.tasks.noop")
    parser.add_argument("--calls", type=int, required=True, help="sequential round trips to time")
    parser.add_argument("--tasks", type=int, required=True, help="tasks to send at once for the throughput")
    parser.add_argument("--warmup", type=int, default=10, help="round trips before timing")
    args = parser.parse_args()

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", args.settings)
    import django

    django.setup()  # loads the project's package, hence its Celery app
    from celery.result import ResultSet

    module, name = args.task.rsplit(".", 1)
    tasks = importlib.import_module(module)
    noop = getattr(tasks, name)

    # The first call also waits for the worker to be up.
    noop.delay().get(timeout=120)
    for _ in range(args.warmup):
        noop.delay().get(timeout=30)

    latencies = []
    for _ in range(args.calls):
        start = time.perf_counter()
        noop.delay().get(timeout=30)
        latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    results = ResultSet([noop.delay() for _ in range(args.tasks)])
    results.join_native(timeout=600)
    elapsed = time.perf_counter() - start

    print(json.dumps({
        "decorator": getattr(tasks, "DECORATOR", "celery.shared_task"),
        "calls": args.calls,
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "tasks": args.tasks,
        "seconds": round(elapsed, 3),
        "tasks_per_s": round(args.tasks / elapsed, 1),
    }))


if __name__ == "__main__":
    main()
