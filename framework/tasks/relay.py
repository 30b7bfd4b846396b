"""The outbox's relay: a thread publishing what the outbox holds, inside every `runworker` or alone.

A worker's relay publishes the tasks of the queues the worker takes;
`manage.py tasks relay` publishes them all.

Every CELERY_OUTBOX_INTERVAL seconds it publishes the due rows (tasks whose
sender could not publish them, delayed tasks now due), and now and then
forgets old completed task ids (kept in the database; Redis expires its own). Several relays (one per worker) share the
work safely: see framework.tasks.outbox.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from celery import bootsteps
from django.db import DatabaseError, close_old_connections, connection

from framework.conf import framework_settings

from . import once, outbox
from .forks import no_fork

logger = logging.getLogger("framework.tasks")

#: Seconds between two purges of old completed task ids.
PURGE_EVERY = 600


class Relay:
    """Publish the outbox's due rows until stopped: `start()` in a thread, or `run()` in the foreground."""

    def __init__(self, app: Any, queues: list[str] | None = None) -> None:
        self.app = app
        #: Only the tasks for these queues (None: all).
        self.queues = queues
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None
        self._purged_at = 0.0
        self._failure: str | None = None

    def run_once(self) -> int:
        """One pass: publish every due row (batch after batch), and purge old ids when it is time."""
        with no_fork():
            return self._pass()

    def _pass(self) -> int:
        close_old_connections()
        published = 0
        while not self.stopping.is_set():
            count = outbox.relay(self.app, queues=self.queues)
            published += count
            if count < framework_settings.CELERY_OUTBOX_BATCH_SIZE:
                break
        if time.monotonic() - self._purged_at > PURGE_EVERY:
            self._purged_at = time.monotonic()
            once.purge(self.app)
        return published

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                self.run_once()
                self._failure = None
            except DatabaseError as error:
                if str(error) != self._failure:  # once, not every second, while it lasts
                    logger.warning("Outbox relay: cannot read the outbox (%s); trying again every %s s.", error, framework_settings.CELERY_OUTBOX_INTERVAL)
                self._failure = str(error)
            except Exception:  # noqa: BLE001 -- a database or broker outage: the next pass tries again
                logger.exception("Outbox relay: a pass failed; trying again in %s s.", framework_settings.CELERY_OUTBOX_INTERVAL)
            self.stopping.wait(framework_settings.CELERY_OUTBOX_INTERVAL)
        with no_fork():
            connection.close()

    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="OutboxRelay", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
            self.thread = None


class RelayStep(bootsteps.StartStopStep):
    """A worker bootstep running the outbox's relay beside the consumer (when CELERY_OUTBOX is on)."""

    # After the pool: its first processes are forked before the relay's thread exists (see .forks).
    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        self.relay: Relay | None = None

    def start(self, worker: Any) -> None:
        if outbox.enabled():
            # The tasks of the queues this worker takes: it is there for them (a task for a
            # queue no worker takes waits in the outbox, not in the broker).
            consumed = getattr(worker.app.amqp.queues, "consume_from", None) or {}
            self.relay = Relay(worker.app, queues=list(consumed) or None)
            self.relay.start()

    def stop(self, worker: Any) -> None:
        if self.relay is not None:
            self.relay.stop()
            self.relay = None

    terminate = stop
