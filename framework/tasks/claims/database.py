"""Claims in the database: one row of `framework_tasks_completed` per task id, its primary key deciding between workers.

The store of the embedded broker and of any broker that is not Redis. A
claim is one INSERT (in its own transaction); a finished run, one UPDATE.
Old rows are deleted by the outbox's relay (`purge`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from framework.conf import framework_settings

from . import NOT_FINISHED, NOT_RELEASED, SKIPPED, Claim, ClaimStore, claim_seconds, dead_here, logger, worker_id


class DatabaseClaims(ClaimStore):
    description = "the database"

    def __init__(self, app: Any = None) -> None:
        super().__init__(app)

    def claim(self, task_id: str, name: str, *, hostname: str | None, time_limit: float | None) -> Claim:
        from ..models import CompletedTask

        now = timezone.now()
        until = now + timedelta(seconds=claim_seconds(time_limit))
        me = worker_id(hostname)
        try:
            try:
                with transaction.atomic():
                    CompletedTask.objects.create(task_id=task_id, name=name, worker=me, started_at=now, claimed_until=until)
                return Claim("run")
            except IntegrityError:
                pass
            row = CompletedTask.objects.filter(task_id=task_id).first()
            if row is None:  # released in between: its run failed, this one may go
                return self.claim(task_id, name, hostname=hostname, time_limit=time_limit)
            if row.finished_at is not None:
                logger.info(SKIPPED, name, task_id)
                return Claim("skip")
            if row.claimed_until < now or row.worker == me or dead_here(row.worker, hostname):
                taken = CompletedTask.objects.filter(task_id=task_id, worker=row.worker, finished_at__isnull=True).update(
                    worker=me, started_at=now, claimed_until=until
                )
                if taken:
                    return Claim("run")
            return Claim("wait", wait=max(1.0, (row.claimed_until - now).total_seconds()))
        except DatabaseError as error:
            return self.untracked(task_id, name, error)

    def finish(self, task_id: str) -> None:
        from ..models import CompletedTask

        try:
            CompletedTask.objects.filter(task_id=task_id).update(finished_at=timezone.now())
        except DatabaseError as error:
            logger.warning(NOT_FINISHED, task_id, self.description, error)

    def release(self, task_id: str, *, hostname: str | None = None) -> None:
        from ..models import CompletedTask

        try:
            # Only this process's: a claim that expired may be another worker's now.
            CompletedTask.objects.filter(task_id=task_id, worker=worker_id(hostname), finished_at__isnull=True).delete()
        except DatabaseError as error:
            logger.warning(NOT_RELEASED, task_id, self.description, error)

    def purge(self) -> int:
        """Forget the ids of tasks finished more than CELERY_COMPLETED_TASKS_KEPT seconds ago; return how many."""
        from ..models import CompletedTask

        before = timezone.now() - timedelta(seconds=framework_settings.CELERY_COMPLETED_TASKS_KEPT)
        deleted, _ = CompletedTask.objects.filter(finished_at__lt=before).delete()
        stale, _ = CompletedTask.objects.filter(finished_at__isnull=True, claimed_until__lt=before).delete()
        return deleted + stale
