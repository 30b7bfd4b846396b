"""Celery schedules to and from the store's two forms: an interval in seconds, or a crontab string.

Celery has no public accessor for a crontab's fields; its pickle protocol
(`crontab.__reduce__`) gives them, in the order of its constructor. Checked
against Celery 5.4 to 5.7; tests/scheduler/test_schedules.py fails if that changes.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from celery.schedules import crontab, schedule

UNSUPPORTED = (
    "{name}: a {kind} schedule cannot be kept in the database; "
    "use seconds, a timedelta, or a crontab ('0 4 * * *')"
)


class UnsupportedSchedule(ValueError):
    """A declared schedule the store cannot hold (a solar schedule, a custom class)."""


def to_fields(name: str, value: Any) -> dict[str, Any]:
    """The `interval` and `crontab` fields of a PeriodicTask for a declared schedule."""
    if isinstance(value, crontab):
        minute, hour, day_of_week, day_of_month, month_of_year = value.__reduce__()[1]
        # The store's order is cron's: minute hour day-of-month month day-of-week.
        return {"interval": None, "crontab": f"{minute} {hour} {day_of_month} {month_of_year} {day_of_week}"}
    if isinstance(value, str):
        from framework.tasks.decorators import as_schedule

        return to_fields(name, as_schedule(value))
    if isinstance(value, schedule) and type(value) is schedule:
        value = value.run_every
    if isinstance(value, (int, float)):
        value = timedelta(seconds=value)
    if isinstance(value, timedelta):
        # Whole seconds: a shorter period would be sent more often than beat looks.
        return {"interval": max(1, math.ceil(value.total_seconds())), "crontab": ""}
    raise UnsupportedSchedule(UNSUPPORTED.format(name=name, kind=type(value).__name__))
