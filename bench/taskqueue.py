"""The task benchmark: the framework's Celery app against a plain Celery app, each with its worker, on one Redis."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from framework.testing.processes import Process

from .projects import BENCH, BIN, Project, last_line

CLIENT = BENCH / "scripts" / "tasks_client.py"
# The same worker configuration for both; gossip and mingle only slow the start.
WORKER_OPTIONS = ["--pool", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]


class TaskTarget:
    """A project's Celery app, its broker (a Redis database of its own) and its worker."""

    def __init__(self, label: str, project: Project, *, redis_url: str, task: str, concurrency: int, log: Path) -> None:
        self.label, self.project, self.task, self.log = label, project, task, log
        self.concurrency = concurrency
        self.redis_url = redis_url
        self.environ = {**project.environ, "CELERY_BROKER_URL": redis_url, "CELERY_RESULT_BACKEND": redis_url}
        self.worker: Process | None = None

    def start_worker(self) -> None:
        import redis

        # Tasks an interrupted earlier run left in the queue (Celery's default one) would
        # be counted: drop them. Nothing else in the database is touched, as it may be shared.
        redis.Redis.from_url(self.redis_url).delete("celery")
        self.worker = Process(
            [str(BIN / "celery"), "-A", self.project.package, "worker", "--concurrency", str(self.concurrency), *WORKER_OPTIONS],
            log=self.log, cwd=self.project.directory, env=self.environ, name=f"{self.label}: celery worker",
        ).start()

    def measure(self, *, calls: int, tasks: int, warmup: int) -> dict:
        if not self.worker.running():
            raise self.worker.fail("exited")
        result = subprocess.run(
            [sys.executable, str(CLIENT), "--settings", f"{self.project.package}.settings", "--task", self.task,
             "--calls", str(calls), "--tasks", str(tasks), "--warmup", str(warmup)],
            cwd=self.project.directory, env=self.environ, capture_output=True, text=True, timeout=900,
        )
        if result.returncode != 0:
            raise self.worker.fail(f"the task client failed:\n{result.stderr[-2000:]}")
        return json.loads(last_line(result.stdout))

    def terminate_worker(self) -> None:
        """Ask the worker to stop (a warm shutdown: Celery's SIGTERM), without waiting (stop_worker() waits)."""
        if self.worker is not None and self.worker.running():
            self.worker.send_signal(signal.SIGTERM)

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout=30)
