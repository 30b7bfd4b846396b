"""The base class of the framework's tasks: safe defaults, enqueue after commit, the request id."""

from __future__ import annotations

import logging
import socket
from datetime import datetime, timezone
from functools import partial
from typing import Any

import celery
import redis.exceptions
from celery.result import AsyncResult
from celery.utils import uuid
from celery.utils.time import get_exponential_backoff_interval
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from kombu.exceptions import OperationalError

from framework.conf import framework_settings
from framework.conf.masking import mask_url
from framework.logging.request_id import get_request_id, reset_request_id, set_request_id
from framework.observability import tracing

from . import once, outbox
from .exceptions import BROKER_UNREACHABLE, BrokerUnavailable

logger = logging.getLogger("framework.tasks")

#: The message header carrying the id of the HTTP request that enqueued a task.
REQUEST_ID_HEADER = "request_id"

#: Errors worth another try: the other side may answer next time. A task
#: extends the list with its own (`autoretry_for=TRANSIENT_ERRORS + (...)`).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.timeout,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

#: What a failed publish or connection raises, whatever the transport.
BROKER_ERRORS = (OperationalError, OSError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

VISIBILITY_TIMEOUT_EXCEEDED = (
    "Task %s is delayed by %.0f s, more than the broker's visibility timeout (%s s): "
    "the broker will hand it to a second worker, so it will run twice. Raise "
    "CELERY_VISIBILITY_TIMEOUT, turn CELERY_OUTBOX on (delayed tasks then wait in the outbox), "
    "or schedule it with runscheduler instead."
)


class SettingDefault:
    """A task option whose default is a framework setting, read whenever the option is, as the task runs.

    So a changed setting (or `override_settings`) reaches tasks declared before it.
    A value given to `@task(...)` or set on a subclass replaces it, None included.
    """

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, task: Any, owner: type | None = None) -> Any:
        return getattr(framework_settings, self.key)


def broker_unavailable(app: celery.Celery, error: BaseException) -> BrokerUnavailable:
    reason = str(error) or type(error).__name__
    return BrokerUnavailable(BROKER_UNREACHABLE.format(url=mask_url(app.conf.broker_url or ""), reason=reason))


def check_broker(app: celery.Celery) -> None:
    """Connect to `app`'s broker once; raise BrokerUnavailable if it does not answer in time."""
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
            connection.default_channel  # noqa: B018 -- opening a channel talks to the broker (Redis: PING)
    except BROKER_ERRORS as error:
        raise broker_unavailable(app, error) from error


class Task(celery.Task):
    """A Celery task with the framework's defaults; each is overridable per task.

    - acknowledged late, and requeued when its worker process dies
      (CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST);
    - soft and hard time limits from CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT;
    - retried on TRANSIENT_ERRORS, at most CELERY_TASK_MAX_RETRIES times unless the task says
      otherwise (`max_retries=None`: for ever, as in Celery), waiting longer each time
      (see `default_retry_delay`);
    - inside a database transaction (`waits_for_commit`), written to the outbox in it, and published
      once it commits (framework.tasks.outbox); with a countdown or ETA, kept in the outbox until due;
    - outside one, published at once, and kept in the outbox when the broker is down; failing with
      BrokerUnavailable, in bounded time, only when the outbox cannot take it either;
    - run once per task id in a worker, however many times it is delivered (framework.tasks.once);
    - carrying the current request id to the worker, where it is current while the task runs;
    - with tracing on, its publish and run spans in the trace that sent it, even through the outbox.
    """

    autoretry_for = TRANSIENT_ERRORS
    max_retries = SettingDefault("CELERY_TASK_MAX_RETRIES")
    retry_backoff_max = SettingDefault("CELERY_TASK_RETRY_BACKOFF_MAX")
    retry_jitter = True
    # Off for Celery, which would read retry_backoff_max once, when the task is declared:
    # the same backoff comes from default_retry_delay, computed at each retry.
    retry_backoff = False

    @property
    def default_retry_delay(self) -> int:
        """Seconds before a retry that names no countdown: 1, 2, 4... up to `retry_backoff_max`, with full jitter."""
        return get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=self.retry_backoff_max, full_jitter=self.retry_jitter
        )

    def waits_for_commit(self, using: str) -> bool:
        """Whether a task sent now is held until a transaction on database `using` commits: inside one, it is.

        The `tasks_eager` fixture of framework.testing replaces it, so that the
        transaction a test runs in counts as committed.
        """
        return connections[using].in_atomic_block

    def apply_async(self, args: Any = None, kwargs: Any = None, **options: Any) -> AsyncResult:
        """Enqueue the task: through the outbox inside a transaction or with a delay, else straight to the broker.

        The returned result's id is the one the task will have. Arguments that
        are not JSON fail here, with TypeError naming the argument.
        """
        request_id = get_request_id()
        if request_id is not None:
            options["headers"] = {REQUEST_ID_HEADER: request_id, **(options.get("headers") or {})}
        # With tracing on, the trace that sends it: kept in the outbox with the task, for the relay's publish.
        if traced := tracing.inject({}):
            options["headers"] = {**traced, **(options.get("headers") or {})}
        using = options.pop("using", DEFAULT_DB_ALIAS)
        # A retry is sent at once: the transaction it runs in is about to roll back.
        if options.get("retries") or self.app.conf.task_always_eager or not outbox.enabled():
            return self._apply_on_commit(args, kwargs, using=using, request_id=request_id, **options)
        in_transaction = self.waits_for_commit(using)
        due = outbox.due_at(options)
        if self.app.conf.task_serializer == "json":
            args, kwargs = outbox.json_arguments(self.name, args, kwargs)
        if not in_transaction and due is None:
            try:
                return self._send(args, kwargs, **options)
            except BrokerUnavailable as error:
                return self._keep_for_later(error, args, kwargs, using=using, **options)
        task_id = options.pop("task_id", None) or uuid()
        options = outbox.routed(self.app, self, args, kwargs, options)
        row = outbox.store(self.name, list(args or ()), dict(kwargs or {}), task_id=task_id, options=options, due=due, using=using)
        if due is None:
            transaction.on_commit(partial(outbox.publish_after_commit, self.app, row.pk, using), using=using)
        return self.AsyncResult(task_id)

    def _keep_for_later(self, error: BrokerUnavailable, args: Any, kwargs: Any, *, using: str, **options: Any) -> AsyncResult:
        """The broker failed a send outside a transaction: keep the task in the outbox, for the relay."""
        task_id = options.pop("task_id", None) or uuid()
        try:
            options = outbox.routed(self.app, self, args, kwargs, options)
            outbox.store(self.name, list(args or ()), dict(kwargs or {}), task_id=task_id, options=options, using=using)
        except Exception as outbox_error:  # noqa: BLE001 -- no database either: the caller is told the broker is down
            raise error from outbox_error
        logger.warning("%s; task %s[%s] waits in the outbox for it.", error, self.name, task_id)
        return self.AsyncResult(task_id)

    def _apply_on_commit(self, args: Any, kwargs: Any, *, using: str, request_id: str | None, **options: Any) -> AsyncResult:
        """Without the outbox (CELERY_OUTBOX off, eager runs, retries): sent when the transaction commits."""
        self._warn_beyond_visibility_timeout(options)
        if options.get("retries") or not self.waits_for_commit(using):
            return self._send(args, kwargs, **options)
        if not self.app.conf.task_always_eager:
            check_broker(self.app)
        options["task_id"] = options.get("task_id") or uuid()
        transaction.on_commit(partial(self._send_as, request_id, args, kwargs, **options), using=using)
        return self.AsyncResult(options["task_id"])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # In a worker, the request is the worker's (Celery's own __call__ would push an empty one):
        # run the task once per id. Called as a plain function, as Celery does.
        if self.request.called_directly:
            return super().__call__(*args, **kwargs)
        return once.run_once(self, self.run, args, kwargs)

    def retry(self, *args: Any, **kwargs: Any) -> Any:
        # The retry carries this run's id, and may be delivered at once: the id's claim is released first.
        once.release_held(self)
        return super().retry(*args, **kwargs)

    def _send_as(self, request_id: str | None, args: Any, kwargs: Any, **options: Any) -> None:
        token = set_request_id(request_id)
        try:
            self._send(args, kwargs, **options)
        finally:
            reset_request_id(token)

    def _send(self, args: Any, kwargs: Any, **options: Any) -> AsyncResult:
        try:
            return super().apply_async(args, kwargs, **options)
        except BROKER_ERRORS as error:
            raise broker_unavailable(self.app, error) from error

    def _warn_beyond_visibility_timeout(self, options: dict[str, Any]) -> None:
        visibility_timeout = (self.app.conf.broker_transport_options or {}).get("visibility_timeout")
        if not visibility_timeout:
            return
        delay = options.get("countdown") or 0
        if eta := options.get("eta"):
            if isinstance(eta, str):
                eta = datetime.fromisoformat(eta)
            if eta.tzinfo is None:
                eta = eta.replace(tzinfo=timezone.utc)
            delay = (eta - datetime.now(timezone.utc)).total_seconds()
        if delay > visibility_timeout:
            logger.warning(VISIBILITY_TIMEOUT_EXCEEDED, self.name, delay, visibility_timeout)
