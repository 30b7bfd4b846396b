"""`CeleryBackend`: Django's Tasks API (`@task`, `.enqueue()`, `TaskResult`) on the framework's Celery.

The default backend of a project's TASKS setting. A Django task is sent as the
framework's task `framework.tasks.run_django_task` (framework.tasks.runner), so
`runworker` runs it with the framework's defaults. Its options map onto Celery:

- `queue_name`: the Celery queue (Django's "default" is Celery's default queue);
- `priority`: the broker's priority, where it has one (see PRIORITY_RANGES);
- `run_after`: Celery's `eta`: the task waits in the outbox until then (CELERY_OUTBOX; with it
  off, a `run_after` beyond a Redis broker's visibility timeout is refused);
- `takes_context`: the function gets a TaskContext (its result, the attempt).

What cannot be honoured is refused when the task is enqueued, with InvalidTask
(or TypeError for arguments that are not JSON), never later in a worker.

Results: `get_result()` and `TaskResult.refresh()` read Celery's result backend
(the database, or Redis). Beside a task's own result, `enqueue()` stores what
the TaskResult needs to be rebuilt (the task, its arguments, when it was
enqueued) under `<id>.enqueued`, which expires with the result.
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Any

from celery import states
from celery.utils import uuid
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import api
from .app import get_app
from .runner import load_task, run_django_task

#: The state of the record `enqueue()` stores beside a task's result.
ENQUEUED = "ENQUEUED"

NOT_JSON = (
    "{task}: argument {name} is a {kind}, which cannot travel as JSON; "
    "pass ids and plain values (str, int, float, bool, None, and lists and dicts of them)"
)
PRIORITY_OUT_OF_RANGE = "{task}: priority {priority} cannot be honoured by {broker}: {reason}"
PRIORITY_RANGES = {
    "redis": "it runs tasks by priority from -9 to 0, 0 (the default) first",
    "amqp": "its queues order tasks by priority from 0 (the default) to {maximum}",
    "amqp-off": "its queues do not order tasks by priority; set CELERY_TASK_QUEUE_MAX_PRIORITY in settings.py",
    "embedded": "it runs tasks in the order they were sent (priority 0 only); use Redis for priorities",
}
RUN_AFTER_TOO_FAR = (
    "{task}: run_after is {delay:.0f} s away, beyond the Redis broker's visibility timeout ({timeout} s): "
    "the task would run twice. Raise CELERY_VISIBILITY_TIMEOUT, or schedule it with @periodic_task"
)
NO_RESULT = "No task result with id {id!r}: it was never enqueued here, or it has expired (CELERY_RESULT_EXPIRES)."


def enqueued_id(result_id: str) -> str:
    return f"{result_id}.enqueued"


def broker_kind(app: Any) -> str:
    scheme = (app.conf.broker_url or "").partition(":")[0]
    return {"redis": "redis", "rediss": "redis", "amqp": "amqp", "amqps": "amqp", "pyamqp": "amqp"}.get(scheme, "embedded")


def celery_priority(task: Any, app: Any) -> int | None:
    """The Celery priority for a Django priority, or None for the default; InvalidTask if the broker cannot honour it."""
    priority = task.priority
    if priority == api.DEFAULT_TASK_PRIORITY:
        return None
    kind = broker_kind(app)
    names = {"redis": "the Redis broker", "amqp": "the RabbitMQ broker", "embedded": "the embedded broker"}

    def refuse(reason: str) -> api.InvalidTask:
        return api.InvalidTask(
            PRIORITY_OUT_OF_RANGE.format(task=task.module_path, priority=priority, broker=names[kind], reason=reason)
        )

    if kind == "redis":
        # kombu's Redis transport takes 0 first and 9 last; messages with no priority are 0.
        if not -9 <= priority <= 0:
            raise refuse(PRIORITY_RANGES["redis"])
        return -priority
    if kind == "amqp":
        maximum = app.conf.task_queue_max_priority
        if not maximum:
            raise refuse(PRIORITY_RANGES["amqp-off"])
        if not 0 <= priority <= maximum:
            raise refuse(PRIORITY_RANGES["amqp"].format(maximum=maximum))
        return priority
    raise refuse(PRIORITY_RANGES["embedded"])


def check_run_after(task: Any, app: Any) -> None:
    """InvalidTask if `run_after` is further away than a Redis broker keeps a message unacknowledged."""
    from . import outbox

    timeout = (app.conf.broker_transport_options or {}).get("visibility_timeout")
    if outbox.enabled():
        return  # a delayed task waits in the outbox, not in the broker
    if task.run_after is None or broker_kind(app) != "redis" or not timeout:
        return
    delay = (task.run_after - timezone.now()).total_seconds()
    if delay > timeout:
        raise api.InvalidTask(RUN_AFTER_TOO_FAR.format(task=task.module_path, delay=delay, timeout=timeout))


def json_arguments(task: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The arguments as JSON values; TypeError naming the first one that is not JSON."""
    try:
        parameters = list(inspect.signature(task.func).parameters)[1 if task.takes_context else 0:]
    except (TypeError, ValueError):
        parameters = []

    def normalized(name: str, value: Any) -> Any:
        try:
            return api.normalize_json(value)
        except (TypeError, ValueError):
            kind = type(value).__qualname__
            if type(value).__module__ != "builtins":
                kind = f"{type(value).__module__}.{kind}"
            raise TypeError(NOT_JSON.format(task=task.module_path, name=name, kind=kind)) from None

    positional = [
        normalized(repr(parameters[index]) if index < len(parameters) else f"#{index + 1}", value)
        for index, value in enumerate(args)
    ]
    return positional, {key: normalized(repr(key), value) for key, value in kwargs.items()}


def _datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return parse_datetime(str(value))


def _error(value: Any, traceback: str | None) -> api.TaskError:
    kind = type(value) if isinstance(value, BaseException) else RuntimeError
    return api.TaskError(exception_class_path=f"{kind.__module__}.{kind.__qualname__}", traceback=traceback or "")


class CeleryBackend(api.BaseTaskBackend):
    """Runs Django tasks on the project's Celery app: `runworker` takes them, results come from its result backend."""

    supports_defer = True
    supports_async_task = True
    supports_get_result = True
    supports_priority = True

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        self.validate_task(task)
        app = get_app()
        args, kwargs = json_arguments(task, args, kwargs)
        options: dict[str, Any] = {}
        if task.queue_name != api.DEFAULT_TASK_QUEUE_NAME:
            options["queue"] = task.queue_name
        priority = celery_priority(task, app)
        if priority is not None:
            options["priority"] = priority
        if task.run_after is not None:
            check_run_after(task, app)
            options["eta"] = task.run_after
        enqueued_at = timezone.now()
        result_id = uuid()
        run_django_task.apply_async(
            (task.module_path, args, kwargs),
            {"takes_context": task.takes_context, "backend": self.alias, "enqueued_at": enqueued_at.isoformat()},
            task_id=result_id, **options,
        )
        app.backend.store_result(
            enqueued_id(result_id),
            {
                "task": task.module_path, "args": args, "kwargs": kwargs, "enqueued_at": enqueued_at.isoformat(),
                "priority": task.priority, "queue_name": task.queue_name,
                "run_after": task.run_after.isoformat() if task.run_after else None,
            },
            ENQUEUED,
        )
        result = self._result(task, result_id, enqueued_at, args, kwargs)
        api.task_enqueued.send(type(self), task_result=result)
        if app.conf.task_always_eager:
            result.refresh()  # it ran already, in this process
        return result

    def _result(self, task: Any, result_id: str, enqueued_at: Any, args: Any, kwargs: Any, **fields: Any) -> Any:
        values = {
            "status": api.TaskResultStatus.READY, "started_at": None, "finished_at": None,
            "last_attempted_at": None, "errors": [], "worker_ids": [], **fields,
        }
        return_value = values.pop("return_value", None)
        result = api.TaskResult(
            task=task, id=result_id, enqueued_at=enqueued_at, args=args, kwargs=kwargs, backend=self.alias, **values
        )
        object.__setattr__(result, "_return_value", return_value)
        return result

    def get_result(self, result_id: str) -> Any:
        app = get_app()
        enqueued = app.backend.get_task_meta(enqueued_id(result_id))
        if enqueued.get("status") != ENQUEUED:
            raise api.TaskResultDoesNotExist(NO_RESULT.format(id=result_id))
        info = enqueued["result"]
        task = load_task(info["task"]).using(
            priority=info["priority"], queue_name=info["queue_name"], run_after=_datetime(info["run_after"]),
            backend=self.alias,
        )
        meta = app.backend.get_task_meta(result_id)
        state, value = meta.get("status"), meta.get("result")
        fields: dict[str, Any] = {}
        if state == states.STARTED and isinstance(value, dict):
            started_at = _datetime(value.get("started_at"))
            fields = {
                "status": api.TaskResultStatus.RUNNING, "started_at": started_at, "last_attempted_at": started_at,
                "worker_ids": [value.get("worker", "")] * int(value.get("attempt", 1)),
            }
        elif state == states.SUCCESS and isinstance(value, dict):
            started_at = _datetime(value.get("started_at"))
            fields = {
                "status": api.TaskResultStatus.SUCCESSFUL, "started_at": started_at, "last_attempted_at": started_at,
                "finished_at": _datetime(meta.get("date_done")), "return_value": value.get("return_value"),
                "worker_ids": [value.get("worker", "")] * int(value.get("attempt", 1)),
            }
        elif state in (states.RETRY, *states.EXCEPTION_STATES):
            worker = meta.get("worker")
            fields = {
                # A task to be retried is ready to run again, with the error of its last attempt.
                "status": api.TaskResultStatus.READY if state == states.RETRY else api.TaskResultStatus.FAILED,
                "errors": [_error(value, meta.get("traceback"))],
                "worker_ids": [worker] * (int(meta.get("retries") or 0) + 1) if worker else [],
            }
            if state != states.RETRY:
                fields["finished_at"] = _datetime(meta.get("date_done"))
        return self._result(
            task, result_id, _datetime(info["enqueued_at"]), info["args"], info["kwargs"], **fields
        )
