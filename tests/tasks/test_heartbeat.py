"""The heartbeat bootstep reads its file and interval when the worker starts, not when it is made."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

from celery.utils.timer2 import Timer

from framework.tasks.heartbeat import Heartbeat, heartbeat_file


def test_the_file_and_interval_are_the_settings_at_start(settings, tmp_path: Path) -> None:
    step = Heartbeat(worker=None)
    heartbeat = tmp_path / "beats" / "worker"
    settings.FRAMEWORK = {"CELERY_WORKER_HEARTBEAT_FILE": str(heartbeat), "CELERY_WORKER_HEARTBEAT_INTERVAL": 1}
    worker = SimpleNamespace(timer=Timer())
    try:
        step.start(worker)
        assert (step.path, step.interval) == (heartbeat, 1)
        first_touch = heartbeat.stat().st_mtime_ns
        deadline = time.monotonic() + 10
        while heartbeat.stat().st_mtime_ns == first_touch:
            assert time.monotonic() < deadline, "the heartbeat file was not touched again"
            time.sleep(0.1)

        settings.FRAMEWORK = {}  # what was started stops, whatever the settings say now
        step.stop(worker)
        assert not heartbeat.exists()
    finally:
        worker.timer.stop()


def test_the_default_file_is_in_the_projects_tasks_folder(settings) -> None:
    settings.FRAMEWORK = {}

    assert heartbeat_file() == settings.BASE_DIR / ".tasks" / "worker-heartbeat"


def test_the_file_given_to_the_worker_wins(settings, tmp_path: Path) -> None:
    step = Heartbeat(worker=None, heartbeat_file=str(tmp_path / "given"))
    worker = SimpleNamespace(timer=Timer())
    try:
        step.start(worker)
        assert (tmp_path / "given").exists()
    finally:
        step.stop(worker)
        worker.timer.stop()
    assert not (tmp_path / "given").exists()
