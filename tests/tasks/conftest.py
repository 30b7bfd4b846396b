"""Real worker processes for the task-queue tests, on the embedded broker and on Redis."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from celery import Celery
from django.conf import settings

from framework.conf.schema import Context
from framework.conf.schemas import CacheSettings, TasksSettings
from framework.tasks.app import prepare_broker
from framework.testing.processes import Process
from tests.e2e.conftest import clean_environ
from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]


def task_settings(**variables: str) -> dict[str, Any]:
    """The CELERY_* Django settings the tests' settings module gives for these CELERY_* variables."""
    tasks = TasksSettings(**{name.removeprefix("CELERY_"): value for name, value in variables.items()})
    context = Context(base_dir=settings.BASE_DIR, loaded={CacheSettings: CacheSettings(), TasksSettings: tasks})
    return tasks.django_settings(context)


def client_app(**variables: str) -> Celery:
    """A Celery app configured as a process of the tests' project would be with these variables."""
    app = Celery("client", task_cls="framework.tasks.base:Task", set_as_current=False)
    configured = {name: getattr(settings, name) for name in dir(settings) if name.startswith("CELERY_")}
    app.config_from_object(SimpleNamespace(**{**configured, **task_settings(**variables)}), namespace="CELERY")
    prepare_broker(app)
    return app


def worker_environ(**variables: str) -> dict[str, str]:
    return clean_environ(DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT), **variables)


class Worker:
    """A `runworker` process and the client app that sends it tasks."""

    def __init__(self, process: Process, app: Celery) -> None:
        self.process, self.app = process, app

    def send(self, name: str, *args: Any, **options: Any) -> Any:
        return self.app.tasks[name].apply_async(args, **options)

    def output(self) -> str:
        return self.process.output()


@contextmanager
def running_worker(tmp_path: Path, variables: dict[str, str], *args: str) -> Iterator[Worker]:
    """Start `manage.py runworker` on the tests' settings; yield once it answers a ping; stop it after."""
    client_app(**variables).control.purge()  # tasks left over by an interrupted run
    process = Process(
        [sys.executable, "-m", "django", "runworker", "--noreload", "--loglevel", "INFO", *args],
        log=tmp_path / "worker.log", cwd=ROOT, env=worker_environ(**variables), name="runworker",
    )
    with process:
        worker = Worker(process, client_app(**variables))
        process.wait_until(lambda: worker.send("framework.tasks.ping").get(timeout=2) == "pong", what="answer a ping")
        yield worker


def broker_variables(kind: str, tmp_path: Path) -> dict[str, str]:
    """The variables of a worker on `kind` of broker; results in Redis either way, which the test process reads.

    Redis is this run's own database: its default queue, which running_worker() purges, is no other run's.
    """
    broker = f"filesystem://{tmp_path / 'broker'}" if kind == "embedded" else redis_url()
    return {"CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": redis_url(), "CELERY_TASK_MAX_RETRIES": "2"}


@pytest.fixture(scope="module", params=["embedded", "redis"])
def worker(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """A prefork worker (2 processes: time limits need the pool), one per broker kind for the module.

    Its database is migrated: run-once claims in it with the embedded broker (in Redis with Redis).
    """
    tmp_path = tmp_path_factory.mktemp(f"worker-{request.param}")
    variables = {**broker_variables(request.param, tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"], cwd=ROOT, env=worker_environ(**variables),
        capture_output=True, text=True, timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    with running_worker(tmp_path, variables, "--pool", "prefork", "--concurrency", "2") as worker:
        yield worker
