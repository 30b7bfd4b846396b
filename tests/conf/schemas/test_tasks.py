"""The task queue settings: safe Celery defaults, the broker's options, the time limits against the visibility timeout."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from framework.conf.schemas import TasksSettings

from .conftest import django_settings


def task_settings(**variables: str) -> dict:
    return django_settings(TasksSettings, base_dir=Path("/srv/app"), **variables)


def test_defaults_are_safe() -> None:
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_ACCEPT_CONTENT == ["json"]
    assert settings.CELERY_TASK_SERIALIZER == settings.CELERY_RESULT_SERIALIZER == "json"
    assert settings.CELERY_BEAT_SCHEDULER == "framework.scheduler.schedulers:DatabaseScheduler"
    assert "framework.scheduler" in settings.INSTALLED_APPS
    assert settings.CELERY_RESULT_BACKEND == "django-db"
    assert settings.CELERY_RESULT_EXPIRES == 86400


def test_a_redis_broker_has_its_visibility_timeout_set_explicitly() -> None:
    values = task_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/5", CELERY_VISIBILITY_TIMEOUT="7200")

    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 7200


def test_the_embedded_broker_folder_can_be_chosen_with_a_filesystem_url(tmp_path) -> None:
    options = task_settings(CELERY_BROKER_URL=f"filesystem://{tmp_path}")["CELERY_BROKER_TRANSPORT_OPTIONS"]

    assert options["data_folder_in"] == options["data_folder_out"] == str(tmp_path / "queue")
    assert options["control_folder"] == str(tmp_path / "control")


def test_the_default_visibility_timeout_follows_the_time_limits_and_every_redis_call_has_a_socket_timeout() -> None:
    values = task_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", CELERY_TASK_TIME_LIMIT="900", CELERY_TASK_SOFT_TIME_LIMIT="800")

    options = values["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert options["visibility_timeout"] == 900 + 60
    assert (options["socket_timeout"], values["CELERY_REDIS_SOCKET_TIMEOUT"]) == (2.5, 2.5)
    assert values["CELERY_BROKER_TRANSPORT"] == "framework.tasks.transport:Transport"


def test_a_visibility_timeout_shorter_than_the_time_limit_is_a_problem() -> None:
    problems = dict(TasksSettings(VISIBILITY_TIMEOUT=300, TASK_TIME_LIMIT=360).problems())

    assert "CELERY_TASK_TIME_LIMIT" in problems["VISIBILITY_TIMEOUT"]


def test_the_embedded_broker_is_the_default_in_the_projects_tasks_folder() -> None:
    values = task_settings()

    assert values["CELERY_BROKER_URL"] == "filesystem://localhost/"
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"] == "/srv/app/.tasks/queue"
    # Its transport follows from the URL in effect, when the app is configured (framework.tasks.app).
    assert "CELERY_BROKER_TRANSPORT" not in values


def test_retries_and_the_heartbeat_are_framework_settings_by_their_variable_names():
    values = TasksSettings(TASK_MAX_RETRIES=2, WORKER_HEARTBEAT_INTERVAL=3).framework_values()

    assert {key: value for key, value in values.items() if "RETR" in key or "HEARTBEAT" in key} == {
        "CELERY_TASK_MAX_RETRIES": 2,
        "CELERY_TASK_RETRY_BACKOFF_MAX": 600,
        "CELERY_WORKER_HEARTBEAT_FILE": None,  # .tasks/worker-heartbeat in the project, decided by the worker
        "CELERY_WORKER_HEARTBEAT_INTERVAL": 3,
    }
