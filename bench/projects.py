"""The projects under test: a generated framework project, the plain Django + DRF baseline, the Django Ninja peer.

Each is set up in a work folder, migrated and seeded with the same rows on the
same kind of database, and served by gunicorn: the framework's by `manage.py serve`, the others with
gunicorn's defaults.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from framework.conf.schemas import BUILTIN_SCHEMAS
from framework.testing.ports import free_port
from framework.testing.processes import Process

BENCH = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
FRAMEWORK_NAME = "benchsite"
# The framework project runs as in production (DEBUG off), on plain HTTP behind no proxy.
FRAMEWORK_ENVIRON = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    # The load comes from one address and one user, far above any sane rate
    # limit; the baseline has no throttling, so neither does the framework here.
    "THROTTLE_ANON_RATE": "off",
    "THROTTLE_USER_RATE": "off",
}


def clean_environ() -> dict[str, str]:
    """This process's environment without any Django or framework settings variable."""
    names = {name for schema in BUILTIN_SCHEMAS for name in schema.variables()}
    return {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_SETTINGS_MODULE" and name.removesuffix("_FILE") not in names
    }


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


@dataclass
class Project:
    """A Django project in the work folder: where it is, how to run it, what it was seeded with."""

    label: str
    directory: Path
    package: str
    environ: dict[str, str]
    seed: dict = field(default_factory=dict)

    def manage(self, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=self.directory, env={**self.environ, **extra},
            capture_output=True, text=True, timeout=timeout,
        )

    def must(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        result = self.manage(*args, **extra)
        if result.returncode != 0:
            raise RuntimeError(f"{self.label}: manage.py {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")
        return result

    def shell(self, script: str, **extra: str) -> dict:
        """Run bench/scripts/`script` in `manage.py shell`; its last output line is JSON."""
        result = self.must("shell", "-c", (BENCH / "scripts" / script).read_text(), **extra)
        return json.loads(last_line(result.stdout))

    def prepare(self) -> None:
        self.must("migrate", "--noinput")
        self.seed = self.shell("seed.py")


def framework_project(workdir: Path, database_url: str | None) -> Project:
    """A project from `framework-admin startproject`, plus the benchmark's app (bench/project_extras)."""
    result = subprocess.run(
        [str(BIN / "framework-admin"), "startproject", FRAMEWORK_NAME], cwd=workdir,
        env=clean_environ(), capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"framework-admin startproject failed: {result.stderr}")
    directory = workdir / FRAMEWORK_NAME
    shutil.copytree(BENCH / "project_extras" / "benchmark", directory / "benchmark")
    with (directory / FRAMEWORK_NAME / "settings.py").open("a") as settings:
        settings.write('\n# Added by bench/run.py.\nINSTALLED_APPS += ["benchmark"]  # noqa: F821\n')
    environ = {**clean_environ(), **FRAMEWORK_ENVIRON, "SECRET_KEY": secrets.token_urlsafe(50)}
    if database_url:
        environ["DATABASE_URL"] = database_url
    return Project("framework", directory, FRAMEWORK_NAME, environ)


def baseline_project(workdir: Path, database_url: str | None) -> Project:
    """A copy of bench/baseline, the plain Django + DRF project."""
    directory = workdir / "baseline"
    shutil.copytree(BENCH / "baseline", directory, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    environ = clean_environ()
    if database_url:
        environ["DATABASE_URL"] = database_url
    return Project("baseline", directory, "baseline", environ)


def ninja_project(workdir: Path, database_url: str | None) -> Project:
    """A copy of bench/ninja, the same Note API on Django Ninja: the peer a team would pick for speed."""
    directory = workdir / "ninja"
    shutil.copytree(BENCH / "ninja", directory, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"))
    environ = clean_environ()
    if database_url:
        environ["DATABASE_URL"] = database_url
    return Project("ninja", directory, "ninjasite", environ)


def create_postgres_database(url: str) -> None:
    """A new, empty PostgreSQL database at `url`, dropped first if it exists."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


class Server:
    """One project under gunicorn: `workers` sync worker processes on a free local port."""

    def __init__(self, label: str, project: Project, *, workers: int, log: Path, serve: bool = False, **environ: str) -> None:
        self.label, self.project, self.workers = label, project, workers
        self.environ = {**project.environ, **environ}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        # `manage.py serve`: gunicorn as the framework configures it for production (its worker
        # class, the application preloaded in the master, workers recycled every WEB_MAX_REQUESTS).
        self.serve = serve
        self.process: Process | None = None

    def start(self) -> None:
        if self.serve:
            args = [sys.executable, "manage.py", "serve"]
            self.environ.update(HOST="127.0.0.1", PORT=str(self.port), WEB_CONCURRENCY=str(self.workers))
        else:
            args = [
                str(BIN / "gunicorn"), f"{self.project.package}.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                "--worker-class", "sync", "--log-level", "warning",
            ]
        self.process = Process(args, log=self.log, cwd=self.project.directory, env=self.environ, name=f"{self.label}: gunicorn").start()

    def wait_ready(self, timeout: float = 180) -> None:
        """Wait until every worker has answered (gunicorn loads the app in each worker)."""

        def every_worker_answers() -> bool:
            urllib.request.urlopen(self.url + "/api/v1/public-notes/", timeout=5).close()  # an error status raises
            return len(self.worker_pids()) >= self.workers

        self.process.wait_until(every_worker_answers, timeout=timeout, what=f"answer on {self.url} with {self.workers} workers")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def worker_rss_mb(self) -> float | None:
        """The resident memory of the largest worker, in MiB (Linux only)."""
        return self._largest_worker("status", ("VmRSS:",))

    def worker_private_mb(self) -> float | None:
        """The largest worker's private memory (USS: its pages no other process shares), in MiB (Linux only).

        RSS counts the pages a preloaded worker shares, copy-on-write, with gunicorn's master
        and the other workers; what each further worker costs is its private part.
        """
        return self._largest_worker("smaps_rollup", ("Private_Clean:", "Private_Dirty:"))

    def _largest_worker(self, file: str, fields: tuple[str, ...]) -> float | None:
        sizes = []
        for pid in self.worker_pids():
            try:
                text = Path(f"/proc/{pid}/{file}").read_text()
            except OSError:
                continue
            sizes.append(sum(int(line.split()[1]) for line in text.splitlines() if line.startswith(fields)) / 1024)
        return round(max(sizes), 1) if sizes else None

    def terminate(self) -> None:
        """Ask gunicorn to stop, without waiting (stop() waits). No request is in flight: its quick shutdown."""
        if self.process is not None and self.process.running():
            self.process.send_signal(signal.SIGINT)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop(timeout=15, stop_signal=signal.SIGINT)
