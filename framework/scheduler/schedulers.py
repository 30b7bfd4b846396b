"""`DatabaseScheduler`: Celery beat's Scheduler on the PeriodicTask table.

A plain subclass of `celery.beat.Scheduler`, so that anything layered on beat's
scheduler interface (leader election, say) works with it unchanged. It:

- writes the declared entries (CELERY_BEAT_SCHEDULE, @periodic_task, Celery's
  own default ones) to the table when it starts;
- sends the enabled entries on their schedules, and records each send in the
  table at once, so that a restarted scheduler does not send a task again early;
- looks for edits (the admin's) every `max_interval` seconds, and reloads the
  schedule when there are some;
- sends only while it leads (framework.scheduler.leader): several schedulers
  may run, on several hosts; one sends, the others wait to take over;
- records a send only if the entry's last send is still the one it read (a
  conditional UPDATE), and sends only then: an entry is sent once per due
  time, whichever scheduler sends it.

A database that cannot be reached is logged; the schedule in memory goes on.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery.beat import ScheduleEntry, Scheduler
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Count, F, Max

from .leader import Leadership
from .schedules import to_fields

logger = logging.getLogger("framework.scheduler")

DATABASE_UNREACHABLE = "Periodic tasks: cannot read the schedule from the database (%s); keeping the one in memory."
NOT_RECORDED = "Periodic tasks: sent %s, but could not record it in the database (%s)."
SENT_ELSEWHERE = "Periodic tasks: %s was sent already for this time (by another scheduler); not sending it again."


def fresh_connection() -> None:
    """Drop the database connection if it broke or outlived CONN_MAX_AGE, as Django does around each request.

    Beat keeps one connection for as long as it runs. Never inside a transaction
    (a test's, say), which closing the connection would lose.
    """
    if not connection.in_atomic_block:
        close_old_connections()


class DatabaseEntry(ScheduleEntry):
    """A schedule entry that knows the row it was read from."""

    def __init__(self, *args: Any, model_id: int | None = None, recorded: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_id = model_id
        #: The last send as the table has it (None: never sent), which a send must still find there.
        self.recorded = recorded

    @classmethod
    def from_model(cls, row: Any, app: Any) -> DatabaseEntry:
        options = dict(row.options or {})
        if row.queue:
            options["queue"] = row.queue
        return cls(
            name=row.name, task=row.task, schedule=row.schedule(), args=tuple(row.args or ()),
            kwargs=dict(row.kwargs or {}), options=options, last_run_at=row.last_run_at,
            total_run_count=row.total_run_count, app=app, model_id=row.pk, recorded=row.last_run_at,
        )


class DatabaseScheduler(Scheduler):
    Entry = DatabaseEntry
    #: Seconds between two looks for edits; beat sleeps at most this long.
    max_interval = 5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._entries: dict[str, DatabaseEntry] = {}
        self._stamp: tuple[Any, ...] | None = None
        self._looked_at = 0.0
        self._sent_elsewhere: set[str] = set()
        self.leadership = Leadership()
        super().__init__(*args, **kwargs)
        # The leader renews its lock between two ticks.
        self.max_interval = min(self.max_interval, self.leadership.interval)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Send what is due, if this scheduler leads; else wait to look at the lock again."""
        was_leading = self.leadership.leading
        fresh_connection()
        if not self.leadership.hold():
            return self.leadership.interval
        if not was_leading:
            # The last leader's sends are in the table: start from them.
            self._reload()
            self._heap = None
        return super().tick(*args, **kwargs)

    def close(self) -> None:
        super().close()
        self.leadership.release()

    def setup_schedule(self) -> None:
        declared = dict(self.app.conf.beat_schedule or {})
        self.install_default_entries(declared)
        self.update_from_dict(declared)
        self._reload()

    def update_from_dict(self, dict_: dict[str, Any]) -> None:
        """Write declared entries to the table: their task, schedule and arguments; not whether they are enabled."""
        from .models import PeriodicTask

        for name, entry in dict_.items():
            options = dict(entry.get("options") or {})
            queue = options.pop("queue", "") or ""
            fresh_connection()
            PeriodicTask.objects.update_or_create(
                name=name,
                defaults={
                    "task": entry["task"],
                    **to_fields(name, entry["schedule"]),
                    "args": list(entry.get("args") or ()),
                    "kwargs": dict(entry.get("kwargs") or {}),
                    "queue": queue,
                    "options": options,
                },
            )

    def _current_stamp(self) -> tuple[Any, ...]:
        from .models import PeriodicTask

        stamp = PeriodicTask.objects.aggregate(count=Count("pk"), changed=Max("changed_at"))
        return stamp["count"], stamp["changed"]

    def _reload(self) -> None:
        from .models import PeriodicTask

        fresh_connection()
        self._stamp = self._current_stamp()
        self._entries = {
            row.name: DatabaseEntry.from_model(row, self.app) for row in PeriodicTask.objects.filter(enabled=True)
        }
        self._looked_at = time.monotonic()

    def get_schedule(self) -> dict[str, DatabaseEntry]:
        if time.monotonic() - self._looked_at >= self.max_interval:
            try:
                fresh_connection()
                if self._current_stamp() != self._stamp:
                    logger.info("Periodic tasks: the schedule changed, reloading it.")
                    self._reload()
            except DatabaseError as error:
                logger.warning(DATABASE_UNREACHABLE, error)
            self._looked_at = time.monotonic()
        return self._entries

    def set_schedule(self, schedule: dict[str, DatabaseEntry]) -> None:
        self._entries = schedule

    schedule = property(get_schedule, set_schedule)

    def reserve(self, entry: DatabaseEntry) -> DatabaseEntry:
        from .models import PeriodicTask

        new_entry = self._entries[entry.name] = next(entry)
        try:
            fresh_connection()
            row = PeriodicTask.objects.filter(pk=entry.model_id)
            row = row.filter(last_run_at__isnull=True) if entry.recorded is None else row.filter(last_run_at=entry.recorded)
            # update(), not save(): changed_at stays, so this is not taken for an edit.
            recorded = row.update(last_run_at=new_entry.last_run_at, total_run_count=F("total_run_count") + 1)
        except DatabaseError as error:
            logger.error(NOT_RECORDED, entry.name, error)
            return new_entry
        if recorded:
            new_entry.recorded = new_entry.last_run_at
        else:
            # Another scheduler recorded a send since this one read the entry: that send was this one.
            logger.warning(SENT_ELSEWHERE, entry.name)
            self._sent_elsewhere.add(entry.name)
            self._looked_at = 0.0  # re-read the table, and start from it, at the next tick
            self._stamp = None
            self._heap = None
        return new_entry

    def apply_entry(self, entry: DatabaseEntry, producer: Any = None) -> None:
        if entry.name in self._sent_elsewhere:
            self._sent_elsewhere.discard(entry.name)
            return
        super().apply_entry(entry, producer=producer)

    @property
    def info(self) -> str:
        return "    . db -> the periodic tasks table (framework.scheduler)"
