"""A real task worker for integration tests: `manage.py runworker` on the test database."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

import pytest

from .processes import Process, ProcessFailed

STARTUP_TIMEOUT = 60


def use_database_files(config: pytest.Config) -> None:
    """Give each SQLite database a test database file, which another process can open."""
    from django.conf import settings

    folder = Path(tempfile.mkdtemp(prefix="test-databases-"))
    for alias, database in settings.DATABASES.items():
        test = database.setdefault("TEST", {})
        if database["ENGINE"].endswith("sqlite3") and not test.get("NAME"):
            test["NAME"] = str(folder / f"{alias}.sqlite3")


def database_url(database: dict[str, Any]) -> str:
    """The DATABASE_URL of a Django database's settings (the test database, once created)."""
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        name = str(database["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            raise RuntimeError("task_worker needs the test database in a file; an in-memory SQLite one is private")
        return f"sqlite:///{name}"
    scheme = {"postgresql": "postgres", "mysql": "mysql"}.get(engine.rpartition(".")[2], engine.rpartition(".")[2])
    credentials = ""
    if database.get("USER"):
        credentials = quote(database["USER"], safe="")
        if database.get("PASSWORD"):
            credentials += ":" + quote(database["PASSWORD"], safe="")
        credentials += "@"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"{scheme}://{credentials}{database.get('HOST') or 'localhost'}{port}/{quote(str(database['NAME']))}"


class TaskWorker:
    """A `runworker` process consuming a queue of this test run's own, and the app's route to it."""

    def __init__(self, folder: Path) -> None:
        from django.conf import settings
        from django.db import connection

        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.log = folder / "worker.log"
        self._environ = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE,
            # The worker imports the project as this process does.
            "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry and os.path.isdir(entry)),
        }
        self._cwd = Path.cwd()
        self.process: Process | None = None

    def __enter__(self) -> TaskWorker:
        from framework.tasks import get_app, ping

        app = get_app()
        self._default_queue = app.conf.task_default_queue
        self._route(app, self.queue)
        self.process = Process(
            [sys.executable, "-m", "django", "runworker", "--noreload", "--pool", "solo", "--queues", self.queue],
            log=self.log, cwd=self._cwd, env=self._environ, name="runworker",
        ).start()
        try:
            self.process.wait_until(lambda: ping.delay().get(timeout=2) == "pong", timeout=STARTUP_TIMEOUT, what="answer a ping")
        except ProcessFailed as failure:
            self.__exit__(None, None, None)
            pytest.fail(str(failure), pytrace=False)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        from framework.tasks import get_app

        self._route(get_app(), self._default_queue)
        if self.process is not None:
            self.process.stop()

    def output(self) -> str:
        """What the worker has printed so far."""
        return self.process.output() if self.process is not None else ""

    @staticmethod
    def _route(app: Any, queue: str) -> None:
        app.conf.task_default_queue = queue
        # Celery keeps the queue it routes to in its cached AMQP helper: rebuild it.
        app.__dict__.pop("amqp", None)
