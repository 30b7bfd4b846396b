"""`manage.py runworker`: a Celery worker for the project's tasks."""

from __future__ import annotations

import argparse
from typing import Any

from celery.utils.nodenames import default_nodename, host_format
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from framework.observability import multiprocess
from framework.observability.worker import metrics_port
from framework.tasks import BrokerUnavailable, check_broker, get_app
from framework.tasks.connections import describe
from framework.tasks.reloader import run_with_reloader

POOLS = ("prefork", "solo", "threads")


def port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port (expected 1 to 65535)")
    return int(value)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Command(BaseCommand):
    help = (
        "Run a task worker: it takes tasks from the broker and runs them. "
        "SIGTERM stops it warm (running tasks finish first). With DEBUG on it restarts when the code changes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--concurrency", "-c", type=int, help="tasks run at once (default: CELERY_WORKER_CONCURRENCY, else the CPU cores)"
        )
        parser.add_argument("--queues", "-Q", help="comma-separated queues to take tasks from (default: celery)")
        parser.add_argument(
            "--loglevel", "-l", type=str.upper, choices=LOG_LEVELS, help="least severe level logged (default: LOG_LEVEL)"
        )
        parser.add_argument(
            "--pool", "-P", choices=POOLS, default="prefork",
            help="prefork: a process per task slot (time limits enforced); solo: in the worker itself; threads",
        )
        parser.add_argument(
            "--hostname", "-n", help="the worker's node name, unique among the workers of a broker (default: celery@<host>)"
        )
        parser.add_argument("--heartbeat-file", help="file touched while the worker is alive (default: CELERY_WORKER_HEARTBEAT_FILE)")
        parser.add_argument(
            "--metrics-port", type=port, help="port the worker serves its metrics on (default: WORKER_METRICS_PORT, else none)"
        )
        reload = parser.add_mutually_exclusive_group()
        reload.add_argument("--reload", action="store_true", dest="reload", default=None, help="restart when the code changes")
        reload.add_argument("--noreload", action="store_false", dest="reload", help="do not restart when the code changes")

    def handle(self, *args: Any, **options: Any) -> None:
        reload = settings.DEBUG if options["reload"] is None else options["reload"]
        status = run_with_reloader(lambda: self.run_worker(**options)) if reload else self.run_worker(**options)
        if status:
            raise SystemExit(status)

    def run_worker(self, **options: Any) -> int:
        app = get_app()
        self.stdout.write(f"Worker of {app.main}: {describe(app)}")
        try:
            check_broker(app)
        except BrokerUnavailable as error:
            raise CommandError(str(error)) from None
        worker_options = {
            "pool_cls": options["pool"],
            "queues": options["queues"],
            "heartbeat_file": options["heartbeat_file"],
            "quiet": True,
        }
        if options["hostname"]:
            # %h, %n and %d as Celery's own command expands them: w1@%h is w1@<this host>.
            worker_options["hostname"] = host_format(default_nodename(options["hostname"]))
        if options["concurrency"]:
            worker_options["concurrency"] = options["concurrency"]
        port = metrics_port(options["metrics_port"])
        if port is not None:
            # Before the pool forks: its processes' task metrics are summed from this folder.
            multiprocess.start("runworker")
            worker_options["metrics_port"] = port
        worker_options["loglevel"] = options["loglevel"] or settings.LOGGING.get("root", {}).get("level", "INFO")
        worker = app.Worker(**worker_options)
        worker.start()
        return worker.exitcode or 0
