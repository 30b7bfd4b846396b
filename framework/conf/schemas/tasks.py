"""Task queue settings: the broker, results, time limits and retries, as Celery's CELERY_* settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from ..schema import Context, Schema, setting
from ..types import BrokerURL, PositiveInt, Seconds, choice_or_import_string
from ..urls import embedded_broker_folder
from .cache import CacheSettings


#: CELERY_CLAIMS_STORE names -> stores (framework.tasks.claims).
CLAIMS_STORES = {
    "database": "framework.tasks.claims.database.DatabaseClaims",
    "redis": "framework.tasks.claims.redis.RedisClaims",
}
ClaimsStore = Annotated[str | None, choice_or_import_string(CLAIMS_STORES, example="myproject.claims.MyClaims")]


class TasksSettings(Schema, env_prefix="CELERY_"):
    title = "Task queue"
    framework_fields = (
        "TASK_MAX_RETRIES", "TASK_RETRY_BACKOFF_MAX", "WORKER_HEARTBEAT_FILE", "WORKER_HEARTBEAT_INTERVAL",
        "OUTBOX", "OUTBOX_INTERVAL", "OUTBOX_BATCH_SIZE", "OUTBOX_WARN_AGE", "COMPLETED_TASKS_KEPT",
        "CLAIMS_STORE", "SCHEDULER_LOCK_TIMEOUT",
    )
    problems_rely_on = {
        "TASK_SOFT_TIME_LIMIT", "TASK_TIME_LIMIT", "VISIBILITY_TIMEOUT", "TASK_RETRY_BACKOFF_MAX"
    }

    BROKER_URL: BrokerURL = setting(
        None,
        "redis://..., rediss://... or amqp://... Default: REDIS_URL if set, else an embedded "
        "broker on local disk (the .tasks folder of the project, or filesystem:///path), for development.",
        default_from=("REDIS_URL",),
        effective_default="filesystem:// (the project's .tasks folder)",
    )
    RESULT_BACKEND: str | None = setting(
        None,
        "Where task results are kept, e.g. redis://... Default: REDIS_URL if set, else the database.",
        default_from=("REDIS_URL",),
        effective_default="django-db (the database)",
    )
    RESULT_EXPIRES: Seconds = setting(
        86400,
        "Seconds a task's result is kept. Redis expires results itself; in the database, "
        "`runscheduler` deletes expired ones daily (0: kept forever).",
    )
    TASK_SOFT_TIME_LIMIT: PositiveInt = setting(
        300, "Seconds after which a running task is asked to stop (SoftTimeLimitExceeded)."
    )
    TASK_TIME_LIMIT: PositiveInt = setting(
        360, "Seconds after which a running task's process is killed."
    )
    TASK_MAX_RETRIES: Seconds = setting(
        5, "Times a task failing with a transient error (connection error, timeout) is retried."
    )
    TASK_RETRY_BACKOFF_MAX: PositiveInt = setting(
        600, "Longest wait, in seconds, before a retry; waits double from 1 s, with random jitter."
    )
    VISIBILITY_TIMEOUT: PositiveInt | None = setting(
        None,
        "Redis broker: seconds after which a task taken but not acknowledged (its worker killed, say) "
        "is given to another worker. Must exceed the longest task and retry wait. Default: the longer of "
        "CELERY_TASK_TIME_LIMIT and CELERY_TASK_RETRY_BACKOFF_MAX, plus 60 s (delayed tasks wait in the outbox).",
    )
    ENQUEUE_TIMEOUT: PositiveInt = setting(
        5,
        "Seconds a send waits for an unreachable or hung broker (at least 4): outside a transaction it "
        "then fails with BrokerUnavailable, or waits in the outbox; every broker call has this bound.",
    )
    WORKER_CONCURRENCY: PositiveInt | None = setting(
        None, "Tasks a worker runs at once (`runworker --concurrency`). Default: the number of CPU cores."
    )
    WORKER_HEARTBEAT_FILE: str | None = setting(
        None,
        "File a running worker touches every WORKER_HEARTBEAT_INTERVAL seconds and removes when it "
        "stops, for a container health check. Default: .tasks/worker-heartbeat in the project.",
    )
    WORKER_HEARTBEAT_INTERVAL: PositiveInt = setting(10, "Seconds between two touches of the heartbeat file.")
    OUTBOX: bool = setting(
        True,
        "Tasks sent inside a database transaction, with a countdown or ETA, or while the broker is down, "
        "are written to the outbox table and published by a relay (in every `runworker`): none is lost "
        "or sent for a rolled-back write. Off: sent on commit, straight to the broker.",
    )
    OUTBOX_INTERVAL: PositiveInt = setting(
        1, "Seconds between two looks of the relay at the outbox (for due, and left-over, tasks)."
    )
    OUTBOX_BATCH_SIZE: PositiveInt = setting(500, "Tasks the relay publishes in one transaction.")
    OUTBOX_WARN_AGE: PositiveInt = setting(
        60, "Seconds past due after which an unpublished task makes /health/ready/ warn (it stays 200)."
    )
    COMPLETED_TASKS_KEPT: PositiveInt = setting(
        86400,
        "Seconds a completed task's id is remembered, so that a second delivery of it is skipped, not run.",
    )
    CLAIMS_STORE: ClaimsStore = setting(
        None,
        "Where a worker claims each task id before running it, so that a second delivery is skipped "
        "(with CELERY_OUTBOX on): redis (keys in the broker's Redis, which expire by themselves), "
        "database (the framework_tasks_completed table), or the import string of a "
        "framework.tasks.claims.ClaimStore subclass. Default: redis with a Redis broker, else database.",
        effective_default="redis with a Redis broker, else database",
    )
    SCHEDULER_LOCK_TIMEOUT: PositiveInt = setting(
        8,
        "Seconds the leading `runscheduler` holds its lock without renewing it; another takes over "
        "within about this long (plus a quarter of it) when the leader dies.",
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.TASK_SOFT_TIME_LIMIT >= self.TASK_TIME_LIMIT:
            yield "TASK_SOFT_TIME_LIMIT", (
                f"must be lower than CELERY_TASK_TIME_LIMIT ({self.TASK_TIME_LIMIT}), "
                "so that a task can clean up before it is killed"
            )
        longest = max(self.TASK_TIME_LIMIT, self.TASK_RETRY_BACKOFF_MAX)
        if self.VISIBILITY_TIMEOUT is not None and self.VISIBILITY_TIMEOUT <= longest:
            yield "VISIBILITY_TIMEOUT", (
                f"must exceed CELERY_TASK_TIME_LIMIT and CELERY_TASK_RETRY_BACKOFF_MAX ({longest}), "
                "or a running or retried task is given to a second worker"
            )

    def django_settings(self, context: Context) -> dict[str, Any]:
        redis_url = context[CacheSettings].REDIS_URL
        # A few attempts, each waiting at most a share of the timeout: an enqueue
        # with the broker down fails in about ENQUEUE_TIMEOUT seconds, never hangs.
        attempts = 2
        connect_timeout = self.ENQUEUE_TIMEOUT / attempts
        # A hung broker (it accepts connections, answers nothing) is bounded by the socket timeout; the
        # worker's own wait for messages (BRPOP, 1 s) must fit in it.
        socket_timeout = max(connect_timeout, 2)
        visibility_timeout = self.VISIBILITY_TIMEOUT or max(self.TASK_TIME_LIMIT, self.TASK_RETRY_BACKOFF_MAX) + 60
        result = {
            "CELERY_RESULT_BACKEND": self.RESULT_BACKEND or redis_url or "django-db",
            "CELERY_RESULT_EXPIRES": self.RESULT_EXPIRES or None,
            "CELERY_TASK_SOFT_TIME_LIMIT": self.TASK_SOFT_TIME_LIMIT,
            "CELERY_TASK_TIME_LIMIT": self.TASK_TIME_LIMIT,
            "CELERY_WORKER_CONCURRENCY": self.WORKER_CONCURRENCY,
            "CELERY_BROKER_CONNECTION_TIMEOUT": connect_timeout,
            "CELERY_TASK_PUBLISH_RETRY_POLICY": {
                "max_retries": attempts - 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
            },
            "CELERY_REDIS_SOCKET_CONNECT_TIMEOUT": connect_timeout,
            "CELERY_REDIS_SOCKET_TIMEOUT": socket_timeout,
            "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS": {
                "retry_policy": {"max_retries": attempts - 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
            },
        }
        broker = self.BROKER_URL or redis_url
        if broker and not broker.startswith("filesystem:"):
            result["CELERY_BROKER_URL"] = broker
            # Set explicitly, with the time limits in mind (see problems()); amqp ignores it.
            result["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
                "visibility_timeout": visibility_timeout,
                "socket_connect_timeout": connect_timeout,
                "socket_timeout": socket_timeout,
            }
            if broker.partition(":")[0] in ("redis", "rediss"):
                # kombu's Redis transport, with a fix for a crash on reconnect (see the module).
                result["CELERY_BROKER_TRANSPORT"] = "framework.tasks.transport:Transport"
        else:
            # filesystem:///path chooses where the embedded broker keeps its messages.
            path = urlsplit(broker).path if broker else ""
            folder = Path(path) if path not in ("", "/") else embedded_broker_folder(context.base_dir)
            # A host, though unused, spares a warning from kombu at every connection.
            result["CELERY_BROKER_URL"] = "filesystem://localhost/"
            result["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
                "data_folder_in": str(folder / "queue"),
                "data_folder_out": str(folder / "queue"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
                # Seconds between two looks for new messages (kombu's default is 1).
                "polling_interval": 0.1,
            }
        return result
