"""A real worker process: tasks run, and the faults the defaults are for are survived."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from celery.exceptions import TimeLimitExceeded

from framework.logging.request_id import reset_request_id, set_request_id
from tests.testapp import tasks as test_tasks  # noqa: F401 -- registers the tasks sent here

from .conftest import Worker

SKIPPED = "tests.testapp.tasks.slow[{task_id}] ran to completion already: this delivery of it is skipped."


def wait_for(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        time.sleep(0.05)


def test_ping_answers_pong(worker: Worker) -> None:
    assert worker.send("framework.tasks.ping").get(timeout=20) == "pong"


def test_a_task_sees_the_request_id_of_the_request_that_enqueued_it(worker: Worker) -> None:
    token = set_request_id("req-4f2a")
    try:
        result = worker.send("tests.testapp.tasks.current_request_id")
    finally:
        reset_request_id(token)

    assert result.get(timeout=20) == "req-4f2a"


def test_a_task_enqueued_outside_a_request_has_no_request_id(worker: Worker) -> None:
    assert worker.send("tests.testapp.tasks.current_request_id").get(timeout=20) is None


def test_a_transient_error_is_retried_until_the_task_succeeds(worker: Worker, tmp_path: Path) -> None:
    counter = tmp_path / "attempts"

    result = worker.send("tests.testapp.tasks.flaky", str(counter), 2)

    assert result.get(timeout=30) == 3  # two connection errors, then success
    assert counter.read_text() == "3"


def test_retries_stop_at_the_cap(worker: Worker, tmp_path: Path) -> None:
    counter = tmp_path / "attempts"

    result = worker.send("tests.testapp.tasks.flaky", str(counter), 100)

    with pytest.raises(ConnectionError):
        result.get(timeout=60)
    assert counter.read_text() == "3"  # the first run and CELERY_TASK_MAX_RETRIES=2 retries


def test_a_task_past_its_hard_time_limit_is_killed_and_recorded_as_failed(worker: Worker) -> None:
    result = worker.send("tests.testapp.tasks.overrun")

    with pytest.raises(TimeLimitExceeded):
        result.get(timeout=30)
    assert result.state == "FAILURE"


def test_a_task_whose_pool_process_is_killed_runs_again_and_completes(worker: Worker, tmp_path: Path) -> None:
    marker = tmp_path / "runs"

    result = worker.send("tests.testapp.tasks.slow", str(marker), 3)
    wait_for(lambda: marker.exists() and marker.read_text().strip())
    os.kill(int(marker.read_text().split()[0]), signal.SIGKILL)

    assert result.get(timeout=60) == "done"
    first, second = marker.read_text().split()
    assert first != second  # it ran again, in another process


def test_a_second_delivery_of_a_task_id_that_ran_is_skipped(worker: Worker, tmp_path: Path) -> None:
    marker, task_id = tmp_path / "runs", f"twice-{uuid.uuid4().hex}"
    assert worker.send("tests.testapp.tasks.slow", str(marker), 0, task_id=task_id).get(timeout=20) == "done"

    worker.send("tests.testapp.tasks.slow", str(marker), 0, task_id=task_id)  # as a relay or Redis would, again

    worker.process.wait_until(lambda: SKIPPED.format(task_id=task_id) in worker.output(), timeout=30, what="skip it")
    assert len(marker.read_text().split()) == 1
    if worker.app.conf.broker_url.startswith("redis:"):  # claimed in the broker's Redis, remembered there
        import redis

        from framework.tasks.claims.redis import key

        assert redis.Redis.from_url(worker.app.conf.broker_url).get(key(task_id)) == b"done"
