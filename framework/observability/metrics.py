"""The framework's metrics: requests and tasks, in prometheus-client's objects, made on first use.

prometheus-client chooses between one process's memory and its multiprocess
files when it is first imported (from PROMETHEUS_MULTIPROC_DIR): `serve` and
`runworker` set that folder first (framework.observability.multiprocess), so
nothing here imports it before a metric is needed.
"""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace
from typing import Any

#: Seconds: from 5 ms to 10 s, for requests (prometheus-client's default buckets).
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
#: Seconds: from 10 ms to 10 minutes, for task runs.
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)


@cache
def requests() -> Any:
    """The request metrics: `total` (count), `duration` (histogram), `in_flight` (gauge)."""
    from prometheus_client import Counter, Gauge, Histogram

    labels = ("route", "method", "status")
    return SimpleNamespace(
        total=Counter("http_requests", "Requests answered, by route pattern, method and status.", labels),
        duration=Histogram(
            "http_request_duration_seconds",
            "Time from the request's arrival in the project to its response, by route pattern, method and status.",
            labels,
            buckets=REQUEST_BUCKETS,
        ),
        # livesum: the sum over the living worker processes (a dead one's requests are over).
        in_flight=Gauge("http_requests_in_flight", "Requests being handled now.", multiprocess_mode="livesum"),
    )


@cache
def tasks() -> Any:
    """The task metrics, each by task name: sent, started, succeeded, failed, retried, and run time."""
    from prometheus_client import Counter, Histogram

    labels = ("task",)
    return SimpleNamespace(
        sent=Counter("tasks_sent", "Tasks published to the broker (from the outbox too, when the relay publishes them).", labels),
        started=Counter("tasks_started", "Task runs started by a worker.", labels),
        succeeded=Counter("tasks_succeeded", "Task runs that returned.", labels),
        failed=Counter("tasks_failed", "Task runs that raised, and will not be retried.", labels),
        retried=Counter("tasks_retried", "Task runs that raised and were scheduled to run again.", labels),
        duration=Histogram("task_duration_seconds", "Time a task run took, whatever its outcome.", labels, buckets=TASK_BUCKETS),
    )
