"""The task queue of a generated project: runworker, the shell enqueueing, runscheduler, the broker down."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from framework.testing.processes import Process
from tests.services import redis_url

from .conftest import clean_environ, manage

pytestmark = pytest.mark.e2e

PING = "from framework.tasks import ping; print(ping.delay().get(timeout=20))"
UNREACHABLE = "redis://127.0.0.1:1/0"
SEND_AND_COUNT = (
    "from framework.tasks import ping, outbox; from framework.tasks.models import OutboxMessage; "
    "OutboxMessage.objects.all().delete(); ping.delay(); print(outbox.backlog()[0])"
)

COUNT_WORDS = """
import time
from django.contrib.auth import get_user_model
from notes.models import Note
from notes.services import create_note
owner, _ = get_user_model().objects.get_or_create(username="writer")
note = create_note(owner=owner, title="t", body="counted by the worker")
for _ in range(200):
    note.refresh_from_db()
    if note.word_count:
        break
    time.sleep(0.1)
print(note.word_count)
"""

# Django's @task sent from a view with .enqueue(), its result read back with get_result() (and through the API).
DIGEST_FROM_A_VIEW = """
import json, time
from django.contrib.auth import get_user_model
from django.test import Client
from notes.services import create_note
from notes.tasks import digest
owner, _ = get_user_model().objects.get_or_create(username="digester")
note = create_note(owner=owner, title="t", body="one two two")
client = Client(HTTP_HOST="localhost")
client.force_login(owner)
accepted = client.post(f"/api/v1/notes/{note.pk}/digest/")
assert accepted.status_code == 202, accepted.content
result_id = accepted.json()["id"]
for _ in range(300):
    body = client.get(f"/api/v1/notes/digests/{result_id}/").json()
    if body["status"] in ("SUCCESSFUL", "FAILED"):
        break
    time.sleep(0.1)
result = digest.get_result(result_id)
print(json.dumps({"api": body["status"], "status": result.status, "value": result.return_value, "workers": result.worker_ids}))
"""

PERIODIC_TASKS = '''
from django.conf import settings

from framework.tasks import periodic_task


@periodic_task(1)
def tick():
    with open(settings.BASE_DIR / "ticks", "a") as ticks:
        ticks.write("tick\\n")
'''


@contextmanager
def running(project: Path, command: str, *args: str, **environ: str) -> Iterator[Process]:
    """`manage.py <command>` in the background, its output in <command>.log; stopped with SIGTERM after (SIGKILL if it lingers)."""
    with Process(
        [sys.executable, "manage.py", command, *args], log=project / f"{command}.log", cwd=project,
        env=clean_environ(**environ), name=command,
    ) as process:
        yield process


def output(project: Path, command: str) -> str:
    return (project / f"{command}.log").read_text()


def test_runworker_on_the_embedded_broker_answers_ping_from_the_shell(project: Path) -> None:
    with running(project, "runworker", "--concurrency", "1") as worker:
        result = manage(project, "shell", "-c", PING)
        assert result.stdout.strip().splitlines()[-1:] == ["pong"], result.stdout + result.stderr + output(project, "runworker")

        # A note saved from another process gets its word count from the worker; results in the database.
        result = manage(project, "shell", "-c", COUNT_WORDS)
        assert result.stdout.strip().splitlines()[-1:] == ["4"], result.stdout + result.stderr

    assert worker.returncode == 0  # SIGTERM: a warm shutdown
    log = output(project, "runworker")
    assert f"broker the embedded broker in {project / '.tasks' / 'queue'}, results in the database" in log
    assert "Traceback" not in log
    assert not (project / ".tasks" / "worker-heartbeat").exists()  # removed on a clean shutdown


def test_runworker_on_redis_answers_ping_from_the_shell(project: Path) -> None:
    redis = {"REDIS_URL": redis_url()}
    with running(project, "runworker", "--concurrency", "1", **redis):
        result = manage(project, "shell", "-c", PING, **redis)
        assert result.stdout.strip().splitlines()[-1:] == ["pong"], result.stdout + result.stderr + output(project, "runworker")

    assert f"broker {redis['REDIS_URL']}, results in {redis['REDIS_URL']}" in output(project, "runworker")


@pytest.mark.parametrize("broker", ["embedded", "redis"])
def test_a_django_task_sent_from_a_view_runs_on_runworker_and_its_result_is_read_back(project: Path, broker: str) -> None:
    environ = {}
    if broker == "redis":
        environ = {"REDIS_URL": redis_url()}
    with running(project, "runworker", "--concurrency", "1", **environ):
        result = manage(project, "shell", "-c", DIGEST_FROM_A_VIEW, **environ)

    assert result.returncode == 0, result.stdout + result.stderr + output(project, "runworker")
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["api"] == outcome["status"] == "SUCCESSFUL", outcome
    assert outcome["value"]["commonest"] == ["two", "one"]
    assert outcome["workers"] and outcome["workers"][0] != "eager"
    assert "framework.tasks.run_django_task" in output(project, "runworker")


def test_with_the_broker_unreachable_a_send_waits_in_the_outbox_in_bounded_time(project: Path) -> None:
    started = time.monotonic()
    result = manage(
        project, "shell", "-c", SEND_AND_COUNT, CELERY_BROKER_URL=UNREACHABLE, CELERY_RESULT_BACKEND="django-db"
    )

    assert time.monotonic() - started < 15
    assert result.returncode == 0, result.stderr
    assert f"cannot reach the task broker at {UNREACHABLE}" in result.stderr
    assert "waits in the outbox" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"  # the ping, kept for the relay
    assert manage(project, "tasks", "relay", "--once").stdout.strip().endswith("Published 1 task(s) from the outbox")


@pytest.mark.parametrize("command", ["runworker", "runscheduler"])
def test_with_the_broker_unreachable_the_commands_exit_1_with_one_line(project: Path, command: str) -> None:
    result = manage(project, command, CELERY_BROKER_URL=UNREACHABLE)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and UNREACHABLE in lines[0], result.stderr


def test_runscheduler_sends_a_periodic_task_declared_with_the_decorator(project: Path) -> None:
    (project / "library" / "tasks.py").write_text(PERIODIC_TASKS)
    ticks = project / "ticks"
    with running(project, "runworker", "--concurrency", "1") as worker, running(project, "runscheduler") as scheduler:
        ticked_twice = lambda: ticks.exists() and ticks.read_text().count("tick") >= 2  # noqa: E731
        scheduler.wait_until(lambda: worker.running() and ticked_twice(), timeout=60, what="have the worker tick twice")

    # The schedule is in the database, where the admin edits it.
    result = manage(
        project, "shell", "-c",
        "from framework.scheduler.models import PeriodicTask; "
        "print(sorted(PeriodicTask.objects.values_list('task', flat=True)))",
    )
    assert "library.tasks.tick" in result.stdout and "celery.backend_cleanup" in result.stdout, result.stdout + result.stderr
