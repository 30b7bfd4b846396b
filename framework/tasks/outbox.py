"""The transactional outbox: tasks written to the database with the writes that sent them, published by a relay.

A task sent inside a transaction is a row of `framework_tasks_outbox`, written
in that transaction: rolled back, it is gone with the writes; committed, it is
published at once by the process that committed it and, should that fail or
the process die, by the relay of every `runworker` (or `manage.py tasks relay`).
A task with a countdown or ETA waits here until it is due, so that none waits
in the broker (past a Redis broker's visibility timeout, where it would run twice).

Two relays never publish the same row at once: on PostgreSQL (and any database
with SELECT ... FOR UPDATE SKIP LOCKED) the rows being published stay locked
until they are removed; elsewhere (SQLite) a relay claims rows with a lease,
in one UPDATE, before it publishes them. A row is removed once published; one
that cannot be is kept and tried again, never dropped. A row published whose
removal is lost (a crash right after the publish) is published again: the
worker runs a task id once (framework.tasks.once).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from framework.conf import framework_settings
from framework.observability import tracing

logger = logging.getLogger("framework.tasks")

NOT_JSON = (
    "{task}: {what} is a {kind}, which cannot travel as JSON; "
    "pass ids and plain values (str, int, float, bool, None, and lists and dicts of them)"
)
UNKNOWN_TASK = (
    "Outbox: %d task(s) named %r wait unpublished: no task of that name is registered in this process "
    "(is its module in an installed app's tasks.py?). They are kept and tried again."
)
PUBLISH_FAILED = "Outbox: cannot publish %s (%s); it stays in the outbox and is tried again."
BROKER_DOWN = "Outbox: %s; %d task(s) wait in the outbox for it."
#: Seconds a relay's claim on rows lasts, on databases without SKIP LOCKED.
CLAIM_LEASE = 60
#: Longest wait before a row that failed (not for the broker being down) is tried again.
MAX_BACKOFF = 60
#: After a failed publish, this process leaves publishing to the relay for this many seconds.
PAUSE_AFTER_FAILURE = 10.0

#: Per broker URL: until when (monotonic) publishing after commit is left to the relay.
_paused_until: dict[str, float] = {}


def _kind(value: Any) -> str:
    kind = type(value).__qualname__
    return kind if type(value).__module__ == "builtins" else f"{type(value).__module__}.{kind}"


def _check_json(task: str, what: str, value: Any) -> None:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        if isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                _check_json(task, f"{what}[{index}]", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_json(task, f"{what}[{key!r}]", item)
        raise TypeError(NOT_JSON.format(task=task, what=what, kind=_kind(value))) from None


def json_arguments(task: str, args: Any, kwargs: Any) -> tuple[list[Any], dict[str, Any]]:
    """The arguments as lists and dicts; TypeError naming the first argument that is not JSON, at send time."""
    args, kwargs = list(args or ()), dict(kwargs or {})
    for index, value in enumerate(args):
        _check_json(task, f"argument #{index + 1}", value)
    for key, value in kwargs.items():
        _check_json(task, f"argument {key!r}", value)
    return args, kwargs


def due_at(options: dict[str, Any]) -> datetime | None:
    """When a task with a `countdown` or `eta` option is due (popping them), or None for one due now."""
    countdown, eta = options.pop("countdown", None), options.pop("eta", None)
    if eta is not None:
        if isinstance(eta, str):
            eta = parse_datetime(eta)
        if timezone.is_naive(eta):
            eta = timezone.make_aware(eta, timezone.utc)
        return eta
    if countdown:
        return timezone.now() + timedelta(seconds=float(countdown))
    return None


def _stored_options(task: str, options: dict[str, Any]) -> dict[str, Any]:
    stored = dict(options)
    if isinstance(stored.get("expires"), datetime):
        stored["expires"] = stored["expires"].isoformat()
    for key, value in stored.items():
        _check_json(task, f"option {key!r}", value)
    return stored


def _sent_options(options: dict[str, Any]) -> dict[str, Any]:
    sent = dict(options)
    if isinstance(sent.get("expires"), str):
        sent["expires"] = parse_datetime(sent["expires"])
    return sent


def enabled() -> bool:
    return bool(framework_settings.CELERY_OUTBOX)


def routed(app: Any, task: Any, args: Any, kwargs: Any, options: dict[str, Any]) -> dict[str, Any]:
    """The options with the queue the task's routes give it now, by name: the relay publishes it there."""
    if "queue" in options or "exchange" in options or "routing_key" in options:
        return options
    queue = app.amqp.router.route(dict(options), task.name, args, kwargs, task_type=task).get("queue")
    name = getattr(queue, "name", queue)
    return {**options, "queue": name} if isinstance(name, str) and name else options


def store(
    name: str, args: list[Any], kwargs: dict[str, Any], *, task_id: str, options: dict[str, Any],
    due: datetime | None = None, using: str = DEFAULT_DB_ALIAS,
) -> Any:
    """Write a task to the outbox, in the current transaction of `using` if there is one; return its row."""
    from .models import OutboxMessage

    now = timezone.now()
    return OutboxMessage.objects.using(using).create(
        task_id=task_id, name=name, args=args, kwargs=kwargs, options=_stored_options(name, options),
        created_at=now, due_at=due or now, next_attempt_at=due or now,
    )


def publish_after_commit(app: Any, row_id: int, using: str) -> None:
    """After the commit: publish the row at once, unless a publish failed here a moment ago; never raise."""
    if time.monotonic() < _paused_until.get(app.conf.broker_url or "", 0.0):
        return
    try:
        relay(app, ids=[row_id], using=using, retry=False)
    except Exception as error:  # noqa: BLE001 -- the write committed; the relay publishes the row later
        logger.warning(PUBLISH_FAILED, f"outbox row {row_id}", error)


def _pause(app: Any) -> None:
    _paused_until[app.conf.broker_url or ""] = time.monotonic() + PAUSE_AFTER_FAILURE


def _publish(app: Any, rows: list[Any], *, retry: bool = True) -> tuple[list[int], list[tuple[Any, str, bool]]]:
    """Publish rows in order; return the ids published, and (row, error, broker_down) for the first failure and unknowns."""
    import celery

    from .base import BROKER_ERRORS, broker_unavailable

    published: list[int] = []
    failed: list[tuple[Any, str, bool]] = []
    unknown: Counter[str] = Counter()
    with app.producer_or_acquire() as producer:
        for row in rows:
            task = app.tasks.get(row.name)
            if task is None:
                unknown[row.name] += 1
                failed.append((row, f"no task named {row.name!r} is registered", False))
                continue
            try:
                # Celery's own apply_async, not the framework's, which would write the row again; its publish
                # span in the trace that sent the task (framework.observability.tracing).
                with tracing.continued(row.options.get("headers")):
                    celery.Task.apply_async(
                        task, row.args, row.kwargs, task_id=row.task_id, producer=producer,
                        **({} if retry else {"retry": False}), **_sent_options(row.options),
                    )
            except BROKER_ERRORS as error:
                failed.append((row, str(broker_unavailable(app, error)), True))
                break  # the others would wait for the broker too
            except Exception as error:  # noqa: BLE001 -- a row that cannot be published must not stop the others
                logger.warning(PUBLISH_FAILED, row, error)
                failed.append((row, f"{type(error).__name__}: {error}", False))
                continue
            published.append(row.pk)
    for name, count in unknown.items():
        logger.warning(UNKNOWN_TASK, count, name)
    return published, failed


def _record_failures(app: Any, queryset: Any, failed: Iterable[tuple[Any, str, bool]], pending: int) -> None:
    now = timezone.now()
    for row, error, broker_down in failed:
        attempts = row.attempts + 1
        # The broker being down is no fault of the row: it goes out as soon as the broker is back.
        delay = 0 if broker_down else min(2 ** min(attempts, 10), MAX_BACKOFF)
        queryset.filter(pk=row.pk).update(
            attempts=attempts, last_error=error[:2000], next_attempt_at=now + timedelta(seconds=delay),
            claimed_by="", claimed_until=None,
        )
        if broker_down:
            _pause(app)
            logger.warning(BROKER_DOWN, error, pending)


def relay(
    app: Any, *, ids: list[int] | None = None, limit: int | None = None, using: str = DEFAULT_DB_ALIAS,
    retry: bool = True, queues: list[str] | None = None,
) -> int:
    """Publish the due rows of the outbox (or those of `ids`), oldest first; return how many were published.

    `retry=False`: one attempt per row (the sender's own publish, which a relay repeats if it fails).
    `queues`: only the rows for these queues (a worker's relay publishes for the queues it takes).
    """
    from .models import OutboxMessage

    limit = limit or framework_settings.CELERY_OUTBOX_BATCH_SIZE
    queryset = OutboxMessage.objects.using(using)
    due = queryset.filter(next_attempt_at__lte=timezone.now())
    if ids is not None:
        due = queryset.filter(pk__in=ids)
    if queues is not None:
        due = due.filter(Q(options__queue__in=queues) | ~Q(options__has_key="queue"))
    if connections[using].features.has_select_for_update_skip_locked:
        with transaction.atomic(using=using):
            rows = list(due.select_for_update(skip_locked=True).order_by("id")[:limit])
            if not rows:
                return 0
            published, failed = _publish(app, rows, retry=retry)
            queryset.filter(pk__in=published).delete()
            _record_failures(app, queryset, failed, len(rows) - len(published))
        return len(published)
    now = timezone.now()
    token = uuid.uuid4().hex
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    candidates = list(due.filter(free).order_by("id").values_list("pk", flat=True)[:limit])
    if not candidates:
        return 0
    # One UPDATE: of two relays claiming the same rows, one gets each row.
    queryset.filter(free, pk__in=candidates).update(claimed_by=token, claimed_until=now + timedelta(seconds=CLAIM_LEASE))
    rows = list(queryset.filter(claimed_by=token).order_by("id"))
    published, failed = _publish(app, rows, retry=retry)
    queryset.filter(pk__in=published).delete()
    _record_failures(app, queryset, failed, len(rows) - len(published))
    # Rows claimed but not tried (after a broker error) are free again at once.
    queryset.filter(claimed_by=token).update(claimed_by="", claimed_until=None)
    return len(published)


def backlog(using: str = DEFAULT_DB_ALIAS) -> tuple[int, float | None]:
    """How many tasks wait in the outbox past their due time, and for how many seconds the oldest has."""
    from .models import OutboxMessage

    now = timezone.now()
    waiting = OutboxMessage.objects.using(using).filter(due_at__lte=now)
    found = waiting.aggregate(oldest=Min("due_at"))
    count = waiting.count()
    oldest = found["oldest"]
    return count, (now - oldest).total_seconds() if oldest is not None else None


def delayed(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many tasks wait in the outbox for their countdown or ETA."""
    from .models import OutboxMessage

    return OutboxMessage.objects.using(using).filter(due_at__gt=timezone.now()).count()


def table_missing(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the database was migrated, but not the outbox's app (False when it cannot tell)."""
    from .models import OutboxMessage

    try:
        tables = connections[using].introspection.table_names()
    except DatabaseError:
        return False
    return "django_migrations" in tables and OutboxMessage._meta.db_table not in tables
