"""What the request metrics add to a request: the access log's middleware with them and without.

    .venv/bin/python bench/metrics_overhead.py [--rounds N] [--json]

As under `manage.py serve`: prometheus-client in its multiprocess mode (each
value written to a file of the folder serve makes). The middleware runs around
a view that returns at once, with the access line off (its cost is not the
metrics'), in turns with the metrics and with them replaced by nothing; prints
each one's median time per request and the difference, to compare with the
0.1 ms budget (docs/performance.md). `make bench` runs it too. Not a test: a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from framework.observability import multiprocess  # noqa: E402

# Before prometheus-client is imported, as serve does.
FOLDER = multiprocess.start("bench")

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402
from django.urls import resolve  # noqa: E402

from framework.logging import access  # noqa: E402

BUDGET_MS = 0.1
#: Requests per timed batch; a batch's mean is one sample.
BATCH = 200
PATH = "/api/v1/books/1/"
NO_METRICS = SimpleNamespace(started=lambda: None, finished=lambda request, status, seconds: None, ended=lambda: None)


def batch(middleware: access.AccessLogMiddleware, request) -> float:
    started = time.perf_counter()
    for _ in range(BATCH):
        middleware(request)
    return (time.perf_counter() - started) / BATCH


def measure(rounds: int) -> dict:
    response = HttpResponse(b"{}", content_type="application/json")
    middleware = access.AccessLogMiddleware(lambda request: response)
    request = RequestFactory().get(PATH)
    request.resolver_match = resolve(PATH)
    with_metrics, without = [], []
    real = access.request_metrics
    with override_settings(FRAMEWORK={"LOG_ACCESS": False}):
        for turn in range(rounds + 5):
            access.request_metrics = real
            measured = batch(middleware, request)
            access.request_metrics = NO_METRICS
            bare = batch(middleware, request)
            if turn >= 5:  # the first few warm up (files made, series created)
                with_metrics.append(measured)
                without.append(bare)
    access.request_metrics = real
    with_ms, without_ms = statistics.median(with_metrics) * 1000, statistics.median(without) * 1000
    return {
        "multiprocess": True,
        "requests": rounds * BATCH,
        "with_metrics_ms": round(with_ms, 4),
        "without_metrics_ms": round(without_ms, 4),
        "added_ms": round(with_ms - without_ms, 4),
        "budget_ms": BUDGET_MS,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help=f"timed batches of {BATCH} requests each way (default 200)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    try:
        result = measure(args.rounds)
    finally:
        multiprocess.stop()
    if args.json:
        print(json.dumps(result))
        return 0
    verdict = "within" if result["added_ms"] <= BUDGET_MS else "OVER"
    print(f"middleware without metrics: {result['without_metrics_ms']:.4f} ms per request (p50 of batches)")
    print(f"middleware with metrics:    {result['with_metrics_ms']:.4f} ms per request (multiprocess mode)")
    print(f"added:                      {result['added_ms']:.4f} ms (budget {BUDGET_MS} ms): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
