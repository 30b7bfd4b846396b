"""Real worker processes for the task-queue tests, on the embedded broker and on Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
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

    def __init__(self, process: subprocess.Popen, app: Celery, log: Path) -> None:
        self.process, self.app, self.log = process, app, log

    def send(self, name: str, *args: Any, **options: Any) -> Any:
        return self.app.tasks[name].apply_async(args, **options)

    def output(self) -> str:
        return self.log.read_text()


def stop(process: subprocess.Popen, timeout: float = 20) -> int:
    """SIGTERM (a warm shutdown), then SIGKILL to the whole process group if it does not end."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the pool processes too, whatever happened
    except ProcessLookupError:
        pass
    return process.wait()


@contextmanager
def running_worker(tmp_path: Path, variables: dict[str, str], *args: str) -> Iterator[Worker]:
    """Start `manage.py runworker` on the tests' settings; yield once it answers a ping; stop it after."""
    log = tmp_path / "worker.log"
    client_app(**variables).control.purge()  # tasks left over by an interrupted run
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runworker", "--noreload", "--loglevel", "INFO", *args],
            cwd=ROOT, env=worker_environ(**variables), stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process, client_app(**variables), log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"runworker exited with {process.returncode}:\n{worker.output()}")
            try:
                assert worker.send("framework.tasks.ping").get(timeout=2) == "pong"
                break
            except Exception:
                if time.monotonic() > deadline:
                    pytest.fail(f"runworker did not answer a ping within 60 s:\n{worker.output()}")
        yield worker
    finally:
        stop(process)


def broker_variables(kind: str, tmp_path: Path) -> dict[str, str]:
    """The variables of a worker on `kind` of broker; results in Redis either way, which the test process reads.

    Redis is this run's own database: its default queue, which running_worker() purges, is no other run's.
    """
    broker = f"filesystem://{tmp_path / 'broker'}" if kind == "embedded" else redis_url()
    return {"CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": redis_url(), "CELERY_TASK_MAX_RETRIES": "2"}


@pytest.fixture(scope="module", params=["embedded", "redis"])
def worker(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """A prefork worker (2 processes: time limits need the pool), one per broker kind for the module."""
    tmp_path = tmp_path_factory.mktemp(f"worker-{request.param}")
    with running_worker(tmp_path, broker_variables(request.param, tmp_path), "--pool", "prefork", "--concurrency", "2") as worker:
        yield worker
