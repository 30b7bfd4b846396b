"""The task decorators: @task with the framework's defaults, @periodic_task and its schedules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings

from framework.tasks import TRANSIENT_ERRORS, task
from framework.tasks.decorators import as_schedule, declared_schedule, periodic_task

from .conftest import client_app


@task
def bare() -> None: ...


@task(max_retries=1, autoretry_for=(*TRANSIENT_ERRORS, LookupError), time_limit=9)
def configured() -> None: ...


def test_the_decorator_gives_the_defaults_with_or_without_arguments() -> None:
    app = client_app()
    plain, custom = app.tasks[bare.name], app.tasks[configured.name]

    assert (plain.acks_late, plain.reject_on_worker_lost) == (True, True)
    assert plain.max_retries == settings.FRAMEWORK["CELERY_TASK_MAX_RETRIES"]
    assert plain.retry_jitter
    assert ConnectionError in plain.autoretry_for and TimeoutError in plain.autoretry_for
    assert (custom.max_retries, custom.time_limit) == (1, 9)
    assert LookupError in custom.autoretry_for


def test_periodic_task_declares_a_schedule_entry() -> None:
    @periodic_task("*/5 * * * *", name="tests.every_five_minutes", args=(1,))
    def every_five_minutes(number: int) -> int:
        return number

    entry = declared_schedule.pop("tests.every_five_minutes")
    assert entry["task"] == "tests.every_five_minutes" and entry["args"] == (1,)
    assert entry["schedule"] == crontab(minute="*/5")


def test_schedules_from_seconds_and_a_bad_crontab() -> None:
    assert as_schedule(30) == timedelta(seconds=30)
    with pytest.raises(ValueError, match="not a crontab"):
        as_schedule("every day")
