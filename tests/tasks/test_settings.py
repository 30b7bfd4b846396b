"""The task queue's settings and the task decorator's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings

from framework.conf.schemas import TasksSettings
from framework.tasks import TRANSIENT_ERRORS, task
from framework.tasks.decorators import as_schedule, declared_schedule, periodic_task

from .conftest import client_app, task_settings


def test_defaults_are_safe() -> None:
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == settings.CELERY_RESULT_SERIALIZER == "json"
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "django_celery_beat" in settings.INSTALLED_APPS
    assert settings.CELERY_RESULT_BACKEND == "django-db"
    assert settings.CELERY_RESULT_EXPIRES == 86400


def test_a_redis_broker_has_its_visibility_timeout_set_explicitly() -> None:
    values = task_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/5", CELERY_VISIBILITY_TIMEOUT="7200")

    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 7200


def test_the_embedded_broker_folder_can_be_chosen_with_a_filesystem_url(tmp_path) -> None:
    options = task_settings(CELERY_BROKER_URL=f"filesystem://{tmp_path}")["CELERY_BROKER_TRANSPORT_OPTIONS"]

    assert options["data_folder_in"] == options["data_folder_out"] == str(tmp_path / "queue")
    assert options["control_folder"] == str(tmp_path / "control")


def test_a_visibility_timeout_shorter_than_the_time_limit_is_a_problem() -> None:
    problems = dict(TasksSettings(VISIBILITY_TIMEOUT=300, TASK_TIME_LIMIT=360).problems())

    assert "CELERY_TASK_TIME_LIMIT" in problems["VISIBILITY_TIMEOUT"]


@task
def bare() -> None: ...


@task(max_retries=1, autoretry_for=(*TRANSIENT_ERRORS, LookupError), time_limit=9)
def configured() -> None: ...


def test_the_decorator_gives_the_defaults_with_or_without_arguments() -> None:
    app = client_app()
    plain, custom = app.tasks[bare.name], app.tasks[configured.name]

    assert (plain.acks_late, plain.reject_on_worker_lost) == (True, True)
    assert plain.max_retries == settings.TASKS["MAX_RETRIES"]
    assert plain.retry_backoff and plain.retry_jitter
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
