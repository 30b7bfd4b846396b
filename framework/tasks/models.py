"""The outbox (tasks sent, waiting to be published to the broker) and the ids of tasks that ran to completion."""

from __future__ import annotations

from django.db import models


class OutboxMessage(models.Model):
    """A task sent inside a transaction, or with a delay, or while the broker was down: published by a relay.

    Written in the sender's transaction, so it exists if and only if the
    sender's writes do. Removed once published; a row that fails is tried
    again later (`next_attempt_at`), never dropped.
    """

    task_id = models.CharField(max_length=255, db_index=True)
    name = models.CharField(max_length=255)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    #: Celery's apply_async options (queue, priority, headers with the request id, ...), JSON-safe.
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    #: When it may be published: now, or its countdown/ETA.
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    #: A relay's claim on the row, on databases without SELECT ... FOR UPDATE SKIP LOCKED (SQLite).
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "framework_tasks_outbox"
        indexes = [models.Index(fields=["next_attempt_at", "id"], name="framework_tasks_outbox_next")]

    def __str__(self) -> str:
        return f"{self.name}[{self.task_id}]"


class CompletedTask(models.Model):
    """A task id that ran (or is running) in a worker: a second delivery of the same id is skipped.

    `finished_at` is None while it runs; `claimed_until` bounds how long a
    run that died (its worker killed) keeps others from running it.
    """

    task_id = models.CharField(max_length=255, primary_key=True)
    name = models.CharField(max_length=255)
    worker = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    claimed_until = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        db_table = "framework_tasks_completed"

    def __str__(self) -> str:
        return f"{self.name}[{self.task_id}]"
