"""A worker's metrics endpoint: a real `runworker` (prefork, Redis) counting its task runs over its pool's processes."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from framework.testing.ports import free_port
from tests.tasks.conftest import ROOT, broker_variables, running_worker, worker_environ
from tests.testapp import tasks as _test_tasks  # noqa: F401 -- registers the tasks sent here

from .conftest import samples, value

TOKEN = secrets.token_urlsafe(24)


def get(url: str, **headers: str) -> tuple[int, dict, bytes]:
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, dict(response.headers), response.read()


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("metrics-worker")
    port = free_port()
    variables = {
        **broker_variables("redis", tmp_path), "WORKER_METRICS_PORT": str(port), "METRICS_TOKEN": TOKEN,
        # As in production: loopback is not let in without the token.
        "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "localhost",
    }
    with running_worker(tmp_path, variables, "--pool", "prefork", "--concurrency", "2") as worker:
        worker.metrics_url = f"http://127.0.0.1:{port}/metrics"
        yield worker


def scrape(worker) -> dict:
    status, _, body = get(worker.metrics_url, Authorization=f"Bearer {TOKEN}")
    assert status == 200, body
    return samples(body.decode())


def test_task_runs_are_counted_by_outcome_over_the_pool_s_processes(worker, tmp_path):
    flaky, fail = "tests.testapp.tasks.flaky", "tests.testapp.tasks.fail"
    # Fails once with a connection error, retried, then succeeds; the other fails for good.
    assert worker.send(flaky, str(tmp_path / "attempts"), 1).get(timeout=30) == 2
    with pytest.raises(ValueError):
        worker.send(fail, "no retry mends this").get(timeout=30)

    found = scrape(worker)

    assert value(found, "tasks_started_total", task=flaky) == 2
    assert value(found, "tasks_retried_total", task=flaky) == 1
    assert value(found, "tasks_succeeded_total", task=flaky) == 1
    assert value(found, "tasks_failed_total", task=flaky) == 0
    assert value(found, "tasks_failed_total", task=fail) == 1
    assert value(found, "tasks_succeeded_total", task=fail) == 0
    assert value(found, "task_duration_seconds_count", task=flaky) == 2
    # The retry is published again, by the worker's process that ran it.
    assert value(found, "tasks_sent_total", task=flaky) == 1
    assert ("tasks_queue_length", frozenset({("queue", "celery")})) in found


def test_the_runs_of_both_pool_processes_are_summed_in_one_scrape(worker, tmp_path):
    slow, marker = "tests.testapp.tasks.slow", tmp_path / "pids"
    # Two runs at once on a pool of two: one in each of its processes.
    results = [worker.send(slow, str(marker), 1.5) for _ in range(2)]
    assert [result.get(timeout=30) for result in results] == ["done", "done"]

    assert len(set(marker.read_text().split())) == 2
    assert value(scrape(worker), "tasks_started_total", task=slow) == 2
    assert value(scrape(worker), "tasks_succeeded_total", task=slow) == 2


def test_the_worker_s_metrics_are_closed_without_the_token(worker):
    status, headers, body = get(worker.metrics_url)

    assert status == 403 and headers["Content-Type"] == "application/problem+json"
    assert json.loads(body)["code"] == "permission_denied"


def test_a_metrics_port_that_is_not_a_port_is_one_line_and_a_failure():
    result = subprocess.run(
        [sys.executable, "-m", "django", "runworker", "--noreload", "--metrics-port", "70000"],
        cwd=ROOT, env=worker_environ(), capture_output=True, text=True, timeout=60,
    )

    assert result.returncode != 0
    assert "argument --metrics-port: '70000' is not a port (expected 1 to 65535)" in result.stderr
    assert "Traceback" not in result.stderr
