"""`runworker` itself: heartbeat file, warm shutdown on SIGTERM, the broker unreachable at start."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.testapp import tasks as test_tasks  # noqa: F401 -- registers the tasks sent here

from .conftest import ROOT, broker_variables, running_worker, worker_environ


def test_heartbeat_file_is_touched_while_alive_and_removed_after_a_warm_shutdown(tmp_path: Path) -> None:
    heartbeat = tmp_path / "heartbeat"
    marker = tmp_path / "runs"
    variables = {**broker_variables("redis", tmp_path), "CELERY_WORKER_HEARTBEAT_INTERVAL": "1"}
    with running_worker(tmp_path, variables, "--pool", "solo", "--heartbeat-file", str(heartbeat)) as worker:
        worker.process.wait_until(heartbeat.exists, timeout=10, what="write the heartbeat file")
        first_touch = heartbeat.stat().st_mtime
        worker.process.wait_until(lambda: heartbeat.stat().st_mtime != first_touch, timeout=10, what="touch the heartbeat file again")

        result = worker.send("tests.testapp.tasks.slow", str(marker), 2)
        worker.process.wait_until(marker.exists, timeout=30, what="start the slow task")
        worker.process.send_signal(signal.SIGTERM)  # while the task runs

        assert worker.process.wait(timeout=30) == 0
        assert result.get(timeout=5) == "done"  # the running task was finished, not dropped
        assert not heartbeat.exists()


def test_an_unreachable_broker_at_start_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "runworker", "--noreload"],
        cwd=ROOT, env=worker_environ(CELERY_BROKER_URL="redis://user:s3cret@127.0.0.1:1/0"),
        capture_output=True, text=True, timeout=60,
    )

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("CommandError: cannot reach the task broker at redis://user:********@127.0.0.1:1/0 (")
    assert line.endswith("check CELERY_BROKER_URL / REDIS_URL and that the broker is running")
    assert "s3cret" not in result.stdout + result.stderr
    assert "broker redis://user:********@127.0.0.1:1/0" in result.stdout
