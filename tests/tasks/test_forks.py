"""A prefork worker never forks a pool process while one of its own threads is inside the database.

A fork copies only the forking thread: a child forked while the outbox's relay
was inside SQLite inherited SQLite's locks held, and its first task waited
forever (seen as a worker that received tasks and never ran them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest

from framework.tasks.forks import no_fork

from .conftest import ROOT, worker_environ


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_fork_waits_for_the_work_under_no_fork_to_end() -> None:
    inside, released = threading.Event(), []

    def work() -> None:
        with no_fork():
            inside.set()
            time.sleep(0.3)
            released.append(time.monotonic())

    thread = threading.Thread(target=work)
    thread.start()
    inside.wait(5)
    pid = os.fork()
    if pid == 0:  # the child: no_fork() is usable here too, or it would hang
        with no_fork():
            os._exit(0)
    forked = time.monotonic()
    thread.join(5)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert released and forked >= released[0]


BOOT_ORDER = """
import json, django
django.setup()
from framework.tasks import get_app
worker = get_app().Worker(pool_cls="prefork", concurrency=1, quiet=True)
print(json.dumps([step.name.rpartition(".")[2] for step in worker.blueprint.order]))
"""


@pytest.mark.parametrize("seed", range(6))
def test_the_workers_threads_start_after_the_pool_whatever_the_hash_seed(seed: int) -> None:
    # Celery orders steps without `requires` by set iteration, which the hash seed decides.
    done = subprocess.run(
        [sys.executable, "-c", BOOT_ORDER], cwd=ROOT, env={**worker_environ(), "PYTHONHASHSEED": str(seed)},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    order = json.loads(done.stdout.strip().splitlines()[-1])
    assert order.index("Pool") < order.index("RelayStep")
    assert order.index("Pool") < order.index("MetricsServer")
