"""framework.server.fork: what a worker of `serve` is spared, at its start and at its end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

# A gunicorn worker's end, as gunicorn's arbiter runs it: the worker_exit hook in the `finally`
# of the SystemExit the worker process ends with.
WORKER_ENDING = textwrap.dedent(
    """
    import atexit, os, sys
    import django
    django.setup()
    from framework.server.fork import exit_worker

    class TornDown:
        def __del__(self):
            os.write(1, b"torn down\\n")

    kept = TornDown()
    atexit.register(lambda: os.write(1, b"exit functions ran\\n"))
    try:
        sys.exit(int(sys.argv[1]))
    finally:
        exit_worker()
    """
)


def end_worker(status: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WORKER_ENDING, str(status)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
    )


def test_a_worker_that_ends_normally_runs_its_exit_functions_and_skips_the_teardown():
    ended = end_worker(0)

    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.splitlines() == ["exit functions ran"]


@pytest.mark.parametrize("status", [1, 3])
def test_a_worker_that_fails_ends_the_usual_way_with_its_status(status):
    ended = end_worker(status)

    assert ended.returncode == status, ended.stderr
    assert ended.stdout.splitlines() == ["exit functions ran", "torn down"]
