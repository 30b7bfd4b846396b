"""At-least-once delivery, run once: a worker skips a task id that already ran to completion.

A broker delivers a task at least once: the outbox's relay publishes a row
again when its removal was lost, a Redis broker hands a task whose worker
died to another one. Before a task runs, the worker claims its id (in the
broker's Redis with a Redis broker, else in the database: see
framework.tasks.claims); once it has run, the claim is marked finished. A
delivery whose id is finished is skipped; one whose id another worker is
running waits (retried later) until that run ends or its claim expires (the
task's time limit: no run lasts longer); one whose claimer died on this same
worker (a pool process killed) runs at once. A run that fails releases its
claim, so that its retries run.

What it cannot do: a task that died after its writes and before its claim
was marked runs again. Tasks stay idempotent where that matters (see docs/tasks.md).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from framework.conf import framework_settings

from .claims import CLAIM_SLACK, SKIPPED, UNTRACKED, Claim, ClaimStore, store_for
from .claims.database import DatabaseClaims

__all__ = [
    "CLAIM_SLACK", "SKIPPED", "UNTRACKED", "Claim", "claim", "finish", "purge", "release", "release_held", "run_once",
]

#: The claim the task running in this thread holds: its store, id and worker host name.
_held: ContextVar[tuple[ClaimStore, str, str | None] | None] = ContextVar("framework_tasks_claim", default=None)


def _store(app: Any = None) -> Any:
    if app is None:
        from .app import get_app

        app = get_app()
    return store_for(app)


def claim(task_id: str, name: str, *, hostname: str | None, time_limit: float | None, app: Any = None) -> Claim:
    """Claim `task_id` for this process before it runs: whether to run it, skip it, or wait."""
    return _store(app).claim(task_id, name, hostname=hostname, time_limit=time_limit)


def finish(task_id: str, *, app: Any = None) -> None:
    """Mark the claim of a task that ran to completion."""
    _store(app).finish(task_id)


def release(task_id: str, *, hostname: str | None = None, app: Any = None) -> None:
    """Drop the claim of a task whose run failed (or is to be retried): its next delivery runs."""
    _store(app).release(task_id, hostname=hostname)


def purge(app: Any = None) -> int:
    """Forget old claims; return how many. The database's always: claims left there by a store used before."""
    store = _store(app)
    forgotten = DatabaseClaims().purge()
    if not isinstance(store, DatabaseClaims):
        forgotten += store.purge()
    return forgotten


def release_held(task: Any) -> None:
    """Release the claim `task`'s current run holds, before a retry of it is sent (Task.retry).

    The retry has the same id and may be delivered at once, to another process:
    it must find the id free, not held by the run that is ending.
    """
    held = _held.get()
    if held is not None and held[1] == task.request.id:
        _held.set(None)
        store, task_id, hostname = held
        store.release(task_id, hostname=hostname)


def run_once(task: Any, call: Any, args: Any, kwargs: Any) -> Any:
    """Run `call(*args, **kwargs)` for `task`'s current request unless its id already ran."""
    request = task.request
    if request.is_eager or request.called_directly or not request.id or not framework_settings.CELERY_OUTBOX:
        return call(*args, **kwargs)
    store = store_for(task.app)
    limit = task.time_limit or task.app.conf.task_time_limit
    found = store.claim(request.id, task.name, hostname=request.hostname, time_limit=limit)
    if found.action == "skip":
        from celery.exceptions import Ignore

        raise Ignore()
    if found.action == "wait":
        # Another worker runs this id now: look again when its claim ends.
        raise task.retry(countdown=found.wait, max_retries=(request.retries or 0) + 1)
    if not found.tracked:
        return call(*args, **kwargs)
    token = _held.set((store, request.id, request.hostname))
    try:
        value = call(*args, **kwargs)
    except BaseException:
        if _held.get() is not None:  # not released already by a retry
            store.release(request.id, hostname=request.hostname)
        raise
    finally:
        _held.reset(token)
    store.finish(request.id)
    return value
