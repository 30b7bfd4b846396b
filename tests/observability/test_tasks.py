"""Task metrics from Celery's signals, in the process that publishes a task and in the one that runs it."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from framework.tasks import get_app

from tests.tasks.test_enqueue import redis_queue  # noqa: F401 -- the fixture
from tests.testapp import tasks as _test_tasks  # noqa: F401 -- registers the tasks run here

pytestmark = pytest.mark.django_db(transaction=True)


def count(name: str, task: str) -> float:
    return REGISTRY.get_sample_value(name, {"task": task}) or 0.0


def test_a_task_published_is_counted_as_sent_by_name(redis_queue):
    before = count("tasks_sent_total", "framework.tasks.ping")

    redis_queue.tasks["framework.tasks.ping"].delay()

    assert count("tasks_sent_total", "framework.tasks.ping") == before + 1


def test_a_run_that_returns_is_counted_started_succeeded_and_timed():
    name = "framework.tasks.ping"
    before = {metric: count(metric, name) for metric in ("tasks_started_total", "tasks_succeeded_total", "task_duration_seconds_count")}

    get_app().tasks[name].apply()

    assert {metric: count(metric, name) - value for metric, value in before.items()} == {
        "tasks_started_total": 1, "tasks_succeeded_total": 1, "task_duration_seconds_count": 1,
    }


def test_a_run_that_raises_is_counted_failed_not_succeeded():
    name = "tests.testapp.tasks.fail"
    failed, succeeded = count("tasks_failed_total", name), count("tasks_succeeded_total", name)

    _test_tasks.fail.apply(("no retry mends this",))

    assert count("tasks_failed_total", name) == failed + 1
    assert count("tasks_succeeded_total", name) == succeeded
