"""Task metrics, from Celery's signals: sent where a task is published, the others where it runs.

Each worker process counts its own task runs; the worker's metrics endpoint
(framework.observability.worker) sums them.
"""

from __future__ import annotations

import os
import time
from typing import Any

from celery import signals

from . import multiprocess
from .metrics import tasks

#: When each task run of this process started, by task id (for its run time).
_started: dict[str, float] = {}


def _name(task: Any) -> str:
    return getattr(task, "name", None) or str(task)


def published(sender: Any = None, **kwargs: Any) -> None:
    # after_task_publish's sender is the task's name.
    tasks().sent.labels(str(sender)).inc()


def run_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is not None:
        _started[task_id] = time.perf_counter()
    tasks().started.labels(_name(task)).inc()


def run_ended(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    started = _started.pop(task_id, None) if task_id is not None else None
    if started is not None:
        tasks().duration.labels(_name(task)).observe(time.perf_counter() - started)


def succeeded(sender: Any = None, **kwargs: Any) -> None:
    tasks().succeeded.labels(_name(sender)).inc()


def failed(sender: Any = None, **kwargs: Any) -> None:
    tasks().failed.labels(_name(sender)).inc()


def retried(sender: Any = None, **kwargs: Any) -> None:
    tasks().retried.labels(_name(sender)).inc()


def process_shutdown(**kwargs: Any) -> None:
    """A pool process of the worker exits: its gauges, if any, no longer count."""
    multiprocess.process_ended(os.getpid())


def connect() -> None:
    """Count tasks in this process from now on (the framework's tasks app does it when Django starts)."""
    for signal, receiver in (
        (signals.after_task_publish, published),
        (signals.task_prerun, run_started),
        (signals.task_postrun, run_ended),
        (signals.task_success, succeeded),
        (signals.task_failure, failed),
        (signals.task_retry, retried),
        (signals.worker_process_shutdown, process_shutdown),
    ):
        signal.connect(receiver, weak=False, dispatch_uid=f"framework.observability.tasks.{receiver.__name__}")
