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

from framework.conf import framework_settings
from framework.conf.urls import embedded_broker_folder

logger = logging.getLogger("framework.tasks")


def _touch(path: Path) -> None:
    try:
        path.touch()
    except OSError as error:
        logger.warning("Cannot touch the heartbeat file %s: %s", path, error)


def heartbeat_file() -> Path:
    """CELERY_WORKER_HEARTBEAT_FILE, or .tasks/worker-heartbeat in the project."""
    path = framework_settings.CELERY_WORKER_HEARTBEAT_FILE
    return Path(path) if path else embedded_broker_folder(settings.BASE_DIR) / "worker-heartbeat"


class Heartbeat(bootsteps.StartStopStep):
    """A worker bootstep touching the heartbeat file every CELERY_WORKER_HEARTBEAT_INTERVAL seconds.

    The file (`runworker --heartbeat-file`, else CELERY_WORKER_HEARTBEAT_FILE) and the
    interval are read when the worker starts; the file it touched is the one removed.
    """

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, heartbeat_file: str | None = None, **kwargs: Any) -> None:
        self.given_path = Path(heartbeat_file) if heartbeat_file else None
        self.path: Path | None = None
        self.interval: float | None = None
        self.timer_entry: Any = None

    def start(self, worker: Any) -> None:
        self.path = self.given_path or heartbeat_file()
        self.interval = framework_settings.CELERY_WORKER_HEARTBEAT_INTERVAL
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
