"""Retries: how many (CELERY_TASK_MAX_RETRIES, or the task's own, None for ever) and how long between them."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry

from framework.tasks import task

attempts: list[int] = []


@task
def always_down() -> None:
    attempts.append(always_down.request.retries)
    raise ConnectionError("the other side is down")


@task(max_retries=None)
def down_four_times() -> str:
    attempts.append(down_four_times.request.retries)
    if len(attempts) <= 4:
        raise ConnectionError("the other side is down")
    return "up"


@task(retry_jitter=False)
def no_jitter() -> None: ...


@task(retry_jitter=False, max_retries=None)
def down_once() -> str:
    attempts.append(down_once.request.retries)
    if len(attempts) == 1:
        raise ConnectionError("the other side is down")
    return "up"


@pytest.fixture(autouse=True)
def fresh_attempts():
    attempts.clear()


def test_a_transient_error_is_retried_as_often_as_the_setting_says(settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_TASK_MAX_RETRIES": 2}

    result = always_down.apply()

    assert isinstance(result.result, ConnectionError)
    assert attempts == [0, 1, 2]  # the first run and two retries


def test_the_setting_is_read_when_the_task_runs(settings):
    assert always_down.max_retries == settings.FRAMEWORK["CELERY_TASK_MAX_RETRIES"]

    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_TASK_MAX_RETRIES": 0}

    always_down.apply()
    assert attempts == [0]


def test_max_retries_none_retries_for_ever_as_in_celery(settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_TASK_MAX_RETRIES": 1}

    assert down_four_times.max_retries is None
    assert down_four_times.apply().get() == "up"
    assert attempts == [0, 1, 2, 3, 4]


def test_the_wait_doubles_up_to_the_backoff_setting_read_at_each_retry(settings):
    waits = []
    for retries in range(5):
        no_jitter.push_request(retries=retries)
        try:
            waits.append(no_jitter.default_retry_delay)
        finally:
            no_jitter.pop_request()
    assert waits == [1, 2, 4, 8, 16]

    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_TASK_RETRY_BACKOFF_MAX": 5}

    no_jitter.push_request(retries=10)
    try:
        assert no_jitter.default_retry_delay == 5
    finally:
        no_jitter.pop_request()


def test_an_automatic_retry_waits_the_backoff(settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_TASK_RETRY_BACKOFF_MAX": 3}
    down_once.push_request(retries=6, is_eager=True, called_directly=False)
    try:
        with pytest.raises(Retry) as retry:
            down_once.run()
    finally:
        down_once.pop_request()

    assert retry.value.when == 3
