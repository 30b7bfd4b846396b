"""Where a worker claims a task id before running it (framework.tasks.once): the store, chosen by CELERY_CLAIMS_STORE.

A store answers three calls, each in one or two round trips, never waiting
unbounded: `claim()` (run, skip, or wait), `finish()` (the run completed) and
`release()` (the run failed: its retries may run). When it cannot be reached,
`claim()` answers "run, untracked" after logging UNTRACKED: the task runs
without the check rather than not at all.

- `database` (framework.tasks.claims.database): the `framework_tasks_completed`
  table, for the embedded broker and any broker that is not Redis.
- `redis` (framework.tasks.claims.redis): keys in the Redis the broker keeps the
  tasks in, which expire by themselves; the default with a Redis broker, where
  it is several times cheaper per task than two database writes.
- an import string: a ClaimStore subclass of the project's own, made with the Celery app.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

from framework.conf import framework_settings
from framework.conf.schemas.tasks import CLAIMS_STORES

logger = logging.getLogger("framework.tasks")

#: CELERY_CLAIMS_STORE names -> stores.
STORES = CLAIMS_STORES
REDIS_SCHEMES = ("redis", "rediss")

SKIPPED = "Task %s[%s] ran to completion already: this delivery of it is skipped."
UNTRACKED = "Task %s[%s] runs without the check for duplicates: %s cannot record it (%s)."
NOT_FINISHED = "Task %s ran, but its completion could not be recorded in %s (%s)."
NOT_RELEASED = "Task %s failed, and its claim could not be released in %s (%s)."
#: Added to a task's time limit for how long a claim lasts (the hard limit kills a run at its time limit).
CLAIM_SLACK = 5
#: How long a claim lasts for a task without a time limit.
NO_TIME_LIMIT = 3600


@dataclass
class Claim:
    #: "run", "skip", or "wait" (retry after `wait` seconds).
    action: str
    wait: float = 0.0
    tracked: bool = True


def worker_id(hostname: str | None) -> str:
    """This process, as a claim names it: the worker's host name and the pool process's pid."""
    return f"{hostname or socket.gethostname()}:{os.getpid()}"


def dead_here(worker: str, hostname: str | None) -> bool:
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


def claim_seconds(time_limit: float | None) -> float:
    """How long a claim keeps other workers off a task id: no run lasts longer (its hard time limit kills it)."""
    return (time_limit or NO_TIME_LIMIT) + CLAIM_SLACK


class ClaimStore:
    """The claims of task ids; made once per process and broker with the Celery app (`Store(app)`).

    A subclass implements `claim`, `finish` and `release` (and `purge` if its
    claims do not expire by themselves), each catching its own storage's
    errors: a claim it cannot make is `Claim("run", tracked=False)`, logged
    with UNTRACKED; `finish` and `release` log and return.
    """

    #: How messages name it ("the database", "Redis at redis://...").
    description = "the claims store"

    def __init__(self, app: Any) -> None:
        self.app = app

    def claim(self, task_id: str, name: str, *, hostname: str | None, time_limit: float | None) -> Claim:
        raise NotImplementedError

    def finish(self, task_id: str) -> None:
        raise NotImplementedError

    def release(self, task_id: str, *, hostname: str | None = None) -> None:
        """Drop the claim this process (on worker `hostname`) holds, if it still does."""
        raise NotImplementedError

    def purge(self) -> int:
        """Forget claims older than CELERY_COMPLETED_TASKS_KEPT; how many. Nothing to do for claims that expire."""
        return 0

    def untracked(self, task_id: str, name: str, error: BaseException) -> Claim:
        logger.warning(UNTRACKED, name, task_id, self.description, error)
        return Claim("run", tracked=False)


def store_path(configured: str | None, broker_url: str | None) -> str:
    """The import string of the store for CELERY_CLAIMS_STORE `configured` (None: by the broker)."""
    if configured is None:
        scheme = (broker_url or "").partition(":")[0]
        configured = "redis" if scheme in REDIS_SCHEMES else "database"
    return STORES.get(configured, configured)


_stores: dict[tuple[str, str], ClaimStore] = {}


def store_for(app: Any) -> ClaimStore:
    """The store `app`'s tasks claim their ids in (one per setting and broker, for the process)."""
    broker_url = app.conf.broker_url or ""
    path = store_path(framework_settings.CELERY_CLAIMS_STORE, broker_url)
    store = _stores.get((path, broker_url))
    if store is None:
        store = _stores[(path, broker_url)] = import_string(path)(app)
    return store
