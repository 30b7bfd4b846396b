"""The transactional outbox: what is written, when it is published, by whom, and what it refuses."""

from __future__ import annotations

import logging
import re
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from framework.tasks import once, outbox
from framework.tasks.checks import E001
from framework.tasks.models import CompletedTask, OutboxMessage
from tests.e2e.conftest import clean_environ, run

from tests.testapp import tasks as _test_tasks  # noqa: F401 -- registers the tasks sent here
from .test_enqueue import messages, redis_queue  # noqa: F401 -- the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_sent_in_a_transaction_is_written_to_the_outbox_in_it(redis_queue) -> None:
    ping = redis_queue.tasks["framework.tasks.ping"]

    with transaction.atomic():
        result = ping.delay()
        row = OutboxMessage.objects.get()
        assert (row.task_id, row.name, row.args, row.kwargs) == (result.id, "framework.tasks.ping", [], {})
        assert messages(redis_queue) == []

    assert [message["headers"]["id"] for message in messages(redis_queue)] == [result.id]
    assert not OutboxMessage.objects.exists()  # published at commit, and removed


def test_a_rolled_back_transaction_leaves_nothing_in_the_outbox(redis_queue) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        redis_queue.tasks["framework.tasks.ping"].delay()
        raise RuntimeError("the request failed")

    assert not OutboxMessage.objects.exists()
    assert outbox.relay(redis_queue) == 0
    assert messages(redis_queue) == []


def test_an_argument_that_is_not_json_is_a_type_error_at_send_time_naming_it(redis_queue) -> None:
    add = redis_queue.tasks["tests.testapp.tasks.add_pages"]

    with pytest.raises(TypeError, match=r"argument #2 is a object, which cannot travel as JSON"), transaction.atomic():
        add.delay(1, object())
    with pytest.raises(TypeError, match=r"argument 'pages'\['n'\] is a set"):
        add.delay(1, pages={"n": {1}})

    assert not OutboxMessage.objects.exists()


def test_a_relay_publishes_the_tasks_of_the_queues_it_is_given(redis_queue) -> None:
    queue = redis_queue.conf.task_default_queue  # the test's own
    outbox.store("framework.tasks.ping", [], {}, task_id="t-other-queue", options={"queue": queue})

    assert outbox.relay(redis_queue, queues=[f"{queue}-not"]) == 0
    assert outbox.relay(redis_queue, queues=[queue]) == 1


def test_a_delayed_task_is_published_when_due_not_before(redis_queue) -> None:
    result = redis_queue.tasks["framework.tasks.ping"].apply_async(countdown=30)

    assert outbox.relay(redis_queue) == 0
    assert messages(redis_queue) == []
    assert outbox.delayed() == 1
    OutboxMessage.objects.update(due_at=timezone.now(), next_attempt_at=timezone.now())  # 30 s later

    assert outbox.relay(redis_queue) == 1
    sent = messages(redis_queue)
    assert [message["headers"]["id"] for message in sent] == [result.id]
    assert sent[0]["headers"]["eta"] is None  # due: nothing left for the broker to hold


def test_a_task_no_process_knows_is_kept_logged_and_counted(redis_queue, caplog) -> None:
    outbox.store("nowhere.unknown_task", [], {}, task_id="t-unknown", options={})

    with caplog.at_level(logging.WARNING, logger="framework.tasks"):
        assert outbox.relay(redis_queue) == 0

    assert "named 'nowhere.unknown_task' wait unpublished" in caplog.text
    row = OutboxMessage.objects.get()
    assert row.attempts >= 1 and row.next_attempt_at > timezone.now()
    count, age = outbox.backlog()
    assert count == 1 and age is not None


def test_the_backlog_warns_in_readiness_past_its_age(client, settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_OUTBOX_WARN_AGE": 30}
    outbox.store("nowhere.unknown_task", [], {}, task_id="t-old", options={})
    OutboxMessage.objects.update(due_at=timezone.now() - timedelta(seconds=90))

    response = client.get("/health/ready/")

    assert response.status_code == 200
    check = response.json()["checks"]["outbox"]
    assert check["status"] == "warning"
    assert re.match(r"1 task\(s\) wait in the outbox, the oldest due 9\d s ago \(over 30 s\)", check["warnings"][0])


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_rows_another_relay_is_publishing_are_skipped_not_published_twice(redis_queue) -> None:
    outbox.store("framework.tasks.ping", [], {}, task_id="t-locked", options={"queue": redis_queue.conf.task_default_queue})
    locked, release = threading.Event(), threading.Event()

    def other_relay() -> None:
        with transaction.atomic():
            list(OutboxMessage.objects.select_for_update())
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_relay)
    thread.start()
    try:
        assert locked.wait(10)
        assert outbox.relay(redis_queue) == 0
    finally:
        release.set()
        thread.join()
    assert outbox.relay(redis_queue) == 1


def test_on_sqlite_rows_claimed_by_another_relay_are_skipped(redis_queue) -> None:
    row = outbox.store("framework.tasks.ping", [], {}, task_id="t-claimed", options={"queue": redis_queue.conf.task_default_queue})
    OutboxMessage.objects.filter(pk=row.pk).update(claimed_by="other", claimed_until=timezone.now() + timedelta(seconds=60))

    if connection.features.has_select_for_update_skip_locked:
        pytest.skip("claims are the SQLite path")
    assert outbox.relay(redis_queue) == 0
    OutboxMessage.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # the other relay died
    assert outbox.relay(redis_queue) == 1


# The claims of run-once, in the database and in Redis: test_claims.py.


def test_old_completed_ids_are_forgotten(settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_COMPLETED_TASKS_KEPT": 60}
    long_ago = timezone.now() - timedelta(seconds=120)
    CompletedTask.objects.create(task_id="old", name="x", worker="w:1", started_at=long_ago, claimed_until=long_ago, finished_at=long_ago)
    CompletedTask.objects.create(task_id="new", name="x", worker="w:1", started_at=timezone.now(), claimed_until=timezone.now(), finished_at=timezone.now())

    assert once.purge() == 1
    assert list(CompletedTask.objects.values_list("task_id", flat=True)) == ["new"]


def test_an_outbox_not_migrated_is_a_check_error_saying_to_migrate(tmp_path) -> None:
    environ = clean_environ(
        DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT_DIR), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    def manage(*args: str):
        return run([sys.executable, "-m", "django", *args], cwd=ROOT_DIR, env=environ)

    assert manage("migrate", "contenttypes", "-v0").returncode == 0  # a migrated database, but not the outbox
    checked = manage("check")

    assert checked.returncode == 1
    assert E001.split(":")[0] in checked.stderr and "framework.tasks.E001" in checked.stderr
    assert "python manage.py migrate" in checked.stderr
    assert "Traceback" not in checked.stderr


ROOT_DIR = __import__("pathlib").Path(__file__).resolve().parents[2]
