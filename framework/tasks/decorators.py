"""`@task` and `@periodic_task`: Celery's shared_task with the framework's defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import shared_task
from celery.schedules import crontab, schedule as Schedule

from .base import Task

#: Periodic tasks declared with @periodic_task: beat schedule entries by name.
declared_schedule: dict[str, dict[str, Any]] = {}

BAD_CRONTAB = "{value!r} is not a crontab (expected 5 fields: minute hour day-of-month month day-of-week)"


def task(*args: Any, **options: Any) -> Any:
    """Declare a task, with or without arguments: `@task` or `@task(max_retries=3)`.

    Options are Celery's (`autoretry_for`, `time_limit`, `acks_late`, `queue`, ...);
    the defaults are framework.tasks.base.Task's.
    """
    options.setdefault("base", Task)
    if len(args) == 1 and callable(args[0]):
        return shared_task(**options)(args[0])
    return shared_task(*args, **options)


def as_schedule(value: float | timedelta | str | Schedule) -> Any:
    """A Celery schedule from seconds, a timedelta, a crontab string ("*/5 * * * *") or a schedule."""
    if isinstance(value, str):
        fields = value.split()
        if len(fields) != 5:
            raise ValueError(BAD_CRONTAB.format(value=value))
        minute, hour, day_of_month, month_of_year, day_of_week = fields
        return crontab(minute, hour, day_of_week, day_of_month, month_of_year)
    if isinstance(value, (int, float)):
        return timedelta(seconds=value)
    return value


def periodic_task(
    schedule: float | timedelta | str | Schedule,
    *,
    name: str | None = None,
    args: tuple = (),
    kwargs: dict[str, Any] | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a task run by `runscheduler` on `schedule`: `@periodic_task("0 4 * * *")`.

    The entry is written to the database when the scheduler starts; from
    then on it can be changed in the admin (Periodic tasks).
    """
    entry_schedule = as_schedule(schedule)

    def decorate(function: Callable[..., Any]) -> Any:
        declared = task(name=name, **options)(function) if name else task(**options)(function)
        task_name = name or f"{function.__module__}.{function.__name__}"
        declared_schedule[task_name] = {
            "task": task_name, "schedule": entry_schedule, "args": args, "kwargs": kwargs or {},
        }
        return declared

    return decorate
