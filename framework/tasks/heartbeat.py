"""The worker's heartbeat file: touched while the worker is alive, removed when it stops cleanly.

A container health check can test that the file is recent, e.g.
`find /app/.tasks/worker-heartbeat -mmin -1 | grep -q .`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import bootsteps
from django.conf import settings

logger = logging.getLogger("framework.tasks")


def _touch(path: Path) -> None:
    try:
        path.touch()
    except OSError as error:
        logger.warning("Cannot touch the heartbeat file %s: %s", path, error)


class Heartbeat(bootsteps.StartStopStep):
    """A worker bootstep touching TASKS["HEARTBEAT_FILE"] every TASKS["HEARTBEAT_INTERVAL"] seconds."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, heartbeat_file: str | None = None, **kwargs: Any) -> None:
        tasks = getattr(settings, "TASKS", {})
        path = heartbeat_file or tasks.get("HEARTBEAT_FILE")
        self.path = Path(path) if path else None
        self.interval = tasks.get("HEARTBEAT_INTERVAL", 10)
        self.timer_entry: Any = None

    def start(self, worker: Any) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _touch(self.path)
        self.timer_entry = worker.timer.call_repeatedly(self.interval, _touch, (self.path,))

    def stop(self, worker: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    terminate = stop
