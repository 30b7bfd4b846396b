"""Carrying periodic tasks over from django-celery-beat's tables, which framework 0.1 used.

Run by the migration 0002_from_django_celery_beat on `migrate`, and safe to run
again: an entry whose name is already in the store is left as it is. The old
tables are read, never changed or dropped: nothing is lost, and a project can
go back. Interval and crontab entries are carried over; solar and clocked ones
have no form in the store, and are logged as skipped.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import Any

from django.utils.dateparse import parse_datetime

logger = logging.getLogger("framework.scheduler")

TABLE = "django_celery_beat_periodictask"
SECONDS = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1, "microseconds": 1e-6}
SKIPPED = "Periodic task %r was not carried over from django-celery-beat: its %s schedule has no form here (%s)."
CARRIED = "Carried %d periodic task(s) over from django-celery-beat's tables, which are left as they were."

QUERY = f"""
SELECT t.name, t.task, t.args, t.kwargs, t.queue, t.enabled, t.last_run_at, t.total_run_count,
       t.description, i.every, i.period, c.minute, c.hour, c.day_of_month, c.month_of_year, c.day_of_week,
       t.solar_id, t.clocked_id
FROM {TABLE} t
LEFT JOIN django_celery_beat_intervalschedule i ON i.id = t.interval_id
LEFT JOIN django_celery_beat_crontabschedule c ON c.id = t.crontab_id
ORDER BY t.id
"""


def _json(text: Any, default: Any) -> Any:
    if text in (None, ""):
        return default
    return json.loads(text) if isinstance(text, str) else text


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)  # Django stores UTC when USE_TZ is on
    return value


def _schedule(row: dict[str, Any]) -> dict[str, Any] | str:
    """The store's schedule fields for an old row, or the kind of schedule that has none."""
    if row["every"] is not None:
        return {"interval": max(1, round(row["every"] * SECONDS[row["period"]])), "crontab": ""}
    if row["minute"] is not None:
        fields = (row["minute"], row["hour"], row["day_of_month"], row["month_of_year"], row["day_of_week"])
        return {"interval": None, "crontab": " ".join(fields)}
    return "solar" if row["solar_id"] is not None else "clocked"


def carry_over(connection: Any, PeriodicTask: Any) -> int:
    """Copy django-celery-beat's entries into `PeriodicTask` (the migration's historical model); return how many."""
    if TABLE not in connection.introspection.table_names():
        return 0
    existing = set(PeriodicTask.objects.values_list("name", flat=True))
    carried = 0
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        columns = [column[0] for column in cursor.description]
        rows = [dict(zip(columns, values)) for values in cursor.fetchall()]
    for row in rows:
        if row["name"] in existing:
            continue
        schedule = _schedule(row)
        if isinstance(schedule, str):
            logger.warning(SKIPPED, row["name"], schedule, "the old table keeps it")
            continue
        PeriodicTask.objects.create(
            name=row["name"], task=row["task"], **schedule,
            args=_json(row["args"], []), kwargs=_json(row["kwargs"], {}), queue=row["queue"] or "",
            enabled=bool(row["enabled"]), last_run_at=_aware(row["last_run_at"]),
            total_run_count=row["total_run_count"] or 0, description=row["description"] or "",
        )
        carried += 1
    if carried:
        logger.warning(CARRIED, carried)
    return carried
