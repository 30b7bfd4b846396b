"""The Celery task that runs a function declared with Django's `@task` in a worker (see framework.tasks.backend).

It is one of the framework's tasks, so a Django task gets the framework's
defaults: acknowledged late, time limits, retries of transient errors, the
request id in its logs, and (when sent from a transaction) sent after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import states
from django.utils import timezone
from django.utils.module_loading import import_string

from .decorators import task

NAME = "framework.tasks.run_django_task"
NOT_A_TASK = "{path} is not a task declared with Django's @task (found {found})"


def load_task(path: str) -> Any:
    """The Django Task at `path` (its function's module and name)."""
    from . import api

    found = import_string(path)
    if not isinstance(found, api.Task):
        raise TypeError(NOT_A_TASK.format(path=path, found=type(found).__name__))
    return found


# An eager run (the tasks_eager fixture) stores its result too, as a worker's run does: TaskResult.refresh() reads it.
@task(name=NAME, bind=True, store_eager_result=True)
def run_django_task(
    self: Any, path: str, args: list[Any], kwargs: dict[str, Any], *, takes_context: bool = False,
    backend: str = "default", enqueued_at: str | None = None,
) -> dict[str, Any]:
    """Run the Django task at `path`; return its JSON-safe return value, with when and where it ran."""
    from . import api

    django_task = load_task(path)
    started_at = timezone.now()
    attempt = self.request.retries + 1
    worker = self.request.hostname or "eager"
    self.update_state(state=states.STARTED, meta={"started_at": started_at.isoformat(), "worker": worker, "attempt": attempt})
    result = api.TaskResult(
        task=django_task, id=self.request.id, status=api.TaskResultStatus.RUNNING,
        enqueued_at=datetime.fromisoformat(enqueued_at) if enqueued_at else None, started_at=started_at,
        finished_at=None, last_attempted_at=started_at, args=args, kwargs=kwargs, backend=backend,
        errors=[], worker_ids=[worker] * attempt,
    )
    api.task_started.send(type(self), task_result=result)
    try:
        if takes_context:
            value = django_task.call(api.TaskContext(task_result=result), *args, **kwargs)
        else:
            value = django_task.call(*args, **kwargs)
        value = api.normalize_json(value)
    except BaseException as error:
        retried = isinstance(error, self.autoretry_for) and (
            self.max_retries is None or self.request.retries < self.max_retries
        )
        if not retried:
            object.__setattr__(result, "status", api.TaskResultStatus.FAILED)
            object.__setattr__(result, "finished_at", timezone.now())
            api.task_finished.send(type(self), task_result=result)
        raise
    object.__setattr__(result, "status", api.TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "finished_at", timezone.now())
    object.__setattr__(result, "_return_value", value)
    api.task_finished.send(type(self), task_result=result)
    return {"return_value": value, "started_at": started_at.isoformat(), "worker": worker, "attempt": attempt}
