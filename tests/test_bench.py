"""The benchmark's smoke mode: every scenario runs to the end without a failed request. Never a timing."""

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.scenarios import UNAVAILABLE
from tests.services import ON_CI, redis_url

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
# The smoke run takes about two minutes on an idle 2-core machine; several times that under the
# load of the suite's other runs.
TIMEOUT = 600


def run_in_own_group(command: list[str], timeout: float) -> tuple[int, str]:
    """Run `command` in a process group of its own, so that a timeout also stops the servers and
    workers it started, not only the benchmark's own process (they would be left running)."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
        pytest.fail(f"the smoke run did not end within {timeout} s:\n{output[-3000:]}", pytrace=False)
    return process.returncode, output


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    if shutil.which("wrk") is None:
        message = "wrk is not installed (apt-get install wrk)"
        if ON_CI:
            pytest.fail(f"{message} (CI=true: the load generator is required)", pytrace=False)
        pytest.skip(message)
    # Each Celery app's worker on a Redis database of this run's own.
    redis = ["--redis-framework", redis_url(), "--redis-baseline", redis_url("bench-baseline")]
    output = tmp_path_factory.mktemp("bench") / "smoke.json"
    returncode, printed = run_in_own_group(
        [sys.executable, "bench/run.py", "--smoke", "--output", str(output), *redis], TIMEOUT
    )
    assert returncode == 0, printed[-3000:]
    return json.loads(output.read_text())


def test_every_http_scenario_completes_or_says_its_feature_is_missing(results):
    statuses = {name: scenario["status"] for name, scenario in results["http"].items()}

    assert set(statuses) >= {"list", "list_session", "list_jwt", "list_api_key", "detail", "health", "cached_list", "create"}
    assert all(status in ("ok", UNAVAILABLE) for status in statuses.values()), statuses


def test_measured_http_scenarios_answered_every_request(results):
    measured = [scenario for scenario in results["http"].values() if scenario["status"] == "ok"]

    assert measured, "no scenario ran"
    failed = [
        (name, label, run)
        for name, scenario in results["http"].items() if scenario["status"] == "ok"
        for label, target in scenario["targets"].items()
        for run in target["runs"] if run["requests"] == 0 or any(run["errors"].values())
    ]
    assert failed == []


def test_tasks_memory_and_start_up_are_reported(results):
    assert results["tasks"]["status"] == "ok", results["tasks"]["status"]
    assert set(results["tasks"]["targets"]) == {"framework", "baseline"}
    assert results["startup"]["status"] == "ok"
    assert results["memory"]["framework_worker_rss_mb"] and results["memory"]["baseline_worker_rss_mb"]


def test_the_request_metrics_cost_is_reported(results):
    metrics = results["metrics"]

    assert metrics["status"] == "ok", metrics["status"]
    assert metrics["multiprocess"] and metrics["requests"] > 0
    assert metrics["with_metrics_ms"] > 0 and metrics["without_metrics_ms"] > 0
