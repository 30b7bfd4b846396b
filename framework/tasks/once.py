"""At-least-once delivery, run once: a worker skips a task id that already ran to completion.

A broker delivers a task at least once: the outbox's relay publishes a row
again when its removal was lost, a Redis broker hands a task whose worker
died to another one. Before a task runs, the worker claims its id in
`framework_tasks_completed` (one INSERT; the primary key decides between two
workers); once it has run, the claim is marked finished. A delivery whose id
is finished is skipped; one whose id another worker is running waits
(retried later) until that run ends or its claim expires (the task's time
limit: no run lasts longer); one whose claimer died on this same worker (a
pool process killed) runs at once. A run that fails releases its claim, so
that its retries run.

What it cannot do: a task that died after its writes and before its claim
was marked runs again. Tasks stay idempotent where that matters (see docs/tasks.md).
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from framework.conf import framework_settings

logger = logging.getLogger("framework.tasks")

SKIPPED = "Task %s[%s] ran to completion already: this delivery of it is skipped."
UNTRACKED = "Task %s[%s] runs without the check for duplicates: the database cannot record it (%s)."
#: Added to a task's time limit for how long a claim lasts (the hard limit kills a run at its time limit).
CLAIM_SLACK = 5


@dataclass
class Claim:
    #: "run", "skip", or "wait" (retry after `wait` seconds).
    action: str
    wait: float = 0.0
    tracked: bool = True


def _worker(hostname: str | None) -> str:
    return f"{hostname or socket.gethostname()}:{os.getpid()}"


def _dead_here(worker: str, hostname: str | None) -> bool:
    """Whether `worker` (host:pid) was a process of this worker that no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != (hostname or socket.gethostname()) or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(task_id: str, name: str, *, hostname: str | None, time_limit: float | None) -> Claim:
    """Claim `task_id` for this process before it runs: whether to run it, skip it, or wait."""
    from .models import CompletedTask

    now = timezone.now()
    until = now + timedelta(seconds=(time_limit or 3600) + CLAIM_SLACK)
    me = _worker(hostname)
    try:
        try:
            with transaction.atomic():
                CompletedTask.objects.create(task_id=task_id, name=name, worker=me, started_at=now, claimed_until=until)
            return Claim("run")
        except IntegrityError:
            pass
        row = CompletedTask.objects.filter(task_id=task_id).first()
        if row is None:  # released in between: its run failed, this one may go
            return claim(task_id, name, hostname=hostname, time_limit=time_limit)
        if row.finished_at is not None:
            logger.info(SKIPPED, name, task_id)
            return Claim("skip")
        if row.claimed_until < now or row.worker == me or _dead_here(row.worker, hostname):
            taken = CompletedTask.objects.filter(task_id=task_id, worker=row.worker, finished_at__isnull=True).update(
                worker=me, started_at=now, claimed_until=until
            )
            if taken:
                return Claim("run")
        return Claim("wait", wait=max(1.0, (row.claimed_until - now).total_seconds()))
    except DatabaseError as error:
        logger.warning(UNTRACKED, name, task_id, error)
        return Claim("run", tracked=False)


def finish(task_id: str) -> None:
    """Mark the claim of a task that ran to completion."""
    from .models import CompletedTask

    try:
        CompletedTask.objects.filter(task_id=task_id).update(finished_at=timezone.now())
    except DatabaseError as error:
        logger.warning("Task %s ran, but its completion could not be recorded (%s).", task_id, error)


def release(task_id: str) -> None:
    """Drop the claim of a task whose run failed (or is to be retried): its next delivery runs."""
    from .models import CompletedTask

    try:
        CompletedTask.objects.filter(task_id=task_id, finished_at__isnull=True).delete()
    except DatabaseError as error:
        logger.warning("Task %s failed, and its claim could not be released (%s).", task_id, error)


def purge() -> int:
    """Forget the ids of tasks finished more than CELERY_COMPLETED_TASKS_KEPT seconds ago; return how many."""
    from .models import CompletedTask

    before = timezone.now() - timedelta(seconds=framework_settings.CELERY_COMPLETED_TASKS_KEPT)
    deleted, _ = CompletedTask.objects.filter(finished_at__lt=before).delete()
    stale, _ = CompletedTask.objects.filter(finished_at__isnull=True, claimed_until__lt=before).delete()
    return deleted + stale


def run_once(task: Any, call: Any, args: Any, kwargs: Any) -> Any:
    """Run `call(*args, **kwargs)` for `task`'s current request unless its id already ran."""
    request = task.request
    if request.is_eager or request.called_directly or not request.id or not framework_settings.CELERY_OUTBOX:
        return call(*args, **kwargs)
    limit = task.time_limit or task.app.conf.task_time_limit
    found = claim(request.id, task.name, hostname=request.hostname, time_limit=limit)
    if found.action == "skip":
        from celery.exceptions import Ignore

        raise Ignore()
    if found.action == "wait":
        # Another worker runs this id now: look again when its claim ends.
        raise task.retry(countdown=found.wait, max_retries=(request.retries or 0) + 1)
    try:
        value = call(*args, **kwargs)
    except BaseException:
        if found.tracked:
            release(request.id)
        raise
    if found.tracked:
        finish(request.id)
    return value
