"""`manage.py runscheduler`: Celery beat, sending periodic tasks on their schedules."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from framework.tasks import BrokerUnavailable, check_broker, get_app
from framework.tasks.connections import describe
from framework.tasks.decorators import declared_schedule

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Command(BaseCommand):
    help = (
        "Run the scheduler: it sends periodic tasks (CELERY_BEAT_SCHEDULE, @periodic_task, and those "
        "edited in the admin) to the broker on their schedules. Several may run (one per host): they elect "
        "a leader, which alone sends; another takes over within CELERY_SCHEDULER_LOCK_TIMEOUT when it dies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loglevel", "-l", type=str.upper, choices=LOG_LEVELS, default="INFO", help="least severe level logged"
        )
        parser.add_argument(
            "--max-interval", type=float, default=None,
            help="most seconds between two looks at the schedule (default: Celery's, 5 s with the database scheduler)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        app = get_app()
        self.stdout.write(f"Scheduler of {app.main}: {describe(app)}, schedules in the database")
        try:
            check_broker(app)
        except BrokerUnavailable as error:
            raise CommandError(str(error)) from None
        # Tasks modules declare periodic tasks when imported; the settings' entries win over them.
        app.loader.import_default_modules()
        app.conf.beat_schedule = {**declared_schedule, **(app.conf.beat_schedule or {})}
        beat = app.Beat(loglevel=options["loglevel"], max_interval=options["max_interval"], quiet=True)
        beat.run()
