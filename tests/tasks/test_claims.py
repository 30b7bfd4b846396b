"""The claims of run-once (framework.tasks.claims): each guarantee, in the database and in a real Redis; the store chosen."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from celery.exceptions import Ignore
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pydantic import ValidationError

from framework.conf.schemas import TasksSettings
from framework.tasks import once
from framework.tasks.claims import CLAIM_SLACK, ClaimStore, store_for, store_path
from framework.tasks.claims.database import DatabaseClaims
from framework.tasks.claims.redis import KEY_PREFIX, RedisClaims, key
from framework.tasks.models import CompletedTask
from framework.testing.ports import free_port
from tests.services import delete_keys, key_prefix, redis_url, started_redis_server

from .conftest import client_app

pytestmark = pytest.mark.django_db(transaction=True)

#: A pid no process has (above Linux's pid_max).
DEAD_PID = 999999999
PREFIX = key_prefix("claims")


@pytest.fixture
def redis_store() -> Iterator[RedisClaims]:
    """The Redis store on this run's Redis database; the keys the test made are deleted after."""
    url = redis_url()
    yield RedisClaims(client_app(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url))
    delete_keys(url, f"{KEY_PREFIX}{PREFIX}*")


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest) -> ClaimStore:
    if request.param == "database":
        return DatabaseClaims()
    return request.getfixturevalue("redis_store")


def new_id() -> str:
    return f"{PREFIX}-{uuid.uuid4().hex[:8]}"


def held_by(store: ClaimStore, task_id: str, worker: str, *, seconds: float) -> None:
    """Make `worker` the holder of `task_id`'s claim for `seconds` (negative: expired), as its own claim would."""
    if isinstance(store, RedisClaims):
        store.client().set(key(task_id), worker, px=max(1, int(seconds * 1000)))
        if seconds <= 0:
            while store.client().exists(key(task_id)):  # Redis expires it: a matter of a millisecond
                pass
    else:
        now = timezone.now()
        CompletedTask.objects.create(
            task_id=task_id, name="x", worker=worker, started_at=now, claimed_until=now + timedelta(seconds=seconds)
        )


# --- The guarantees, in both stores ------------------------------------------------

def test_a_task_id_that_ran_to_completion_is_skipped(store, caplog) -> None:
    task_id = new_id()
    first = store.claim(task_id, "framework.tasks.ping", hostname="celery@a", time_limit=60)
    running = store.claim(task_id, "framework.tasks.ping", hostname="celery@b", time_limit=60)
    store.finish(task_id)
    with caplog.at_level(logging.INFO, logger="framework.tasks"):
        again = store.claim(task_id, "framework.tasks.ping", hostname="celery@b", time_limit=60)

    assert (first.action, running.action, again.action) == ("run", "wait", "skip")
    assert 1 <= running.wait <= 60 + CLAIM_SLACK  # until the running claim ends
    assert f"framework.tasks.ping[{task_id}] ran to completion already" in caplog.text


def test_a_failed_run_releases_its_id_for_the_retry(store) -> None:
    task_id = new_id()
    assert store.claim(task_id, "x", hostname="celery@a", time_limit=60).action == "run"
    store.release(task_id, hostname="celery@a")

    assert store.claim(task_id, "x", hostname="celery@b", time_limit=60).action == "run"


def test_a_claim_of_a_dead_process_of_the_same_worker_is_taken_over_at_once(store) -> None:
    task_id = new_id()
    held_by(store, task_id, f"celery@a:{DEAD_PID}", seconds=300)

    assert store.claim(task_id, "x", hostname="celery@a", time_limit=60).action == "run"
    assert store.claim(task_id, "x", hostname="celery@b", time_limit=60).action == "wait"  # now this process's


def test_a_claim_of_a_live_process_or_of_another_host_waits(store) -> None:
    alive, elsewhere = new_id(), new_id()
    held_by(store, alive, f"celery@a:{os.getppid()}", seconds=300)
    held_by(store, elsewhere, f"celery@b:{DEAD_PID}", seconds=300)  # whether it lives cannot be told from here

    assert store.claim(alive, "x", hostname="celery@a", time_limit=60).action == "wait"
    assert store.claim(elsewhere, "x", hostname="celery@a", time_limit=60).action == "wait"


def test_an_expired_claim_is_taken_over(store) -> None:
    task_id = new_id()
    held_by(store, task_id, f"celery@b:{DEAD_PID}", seconds=-1)

    assert store.claim(task_id, "x", hostname="celery@a", time_limit=60).action == "run"


def test_a_task_runs_once_through_run_once_and_a_second_delivery_is_ignored(store, monkeypatch) -> None:
    app = store.app or client_app()
    monkeypatch.setattr("framework.tasks.once.store_for", lambda app: store)
    ping = app.tasks["framework.tasks.ping"]
    task_id = new_id()
    ping.push_request(id=task_id, hostname="celery@a", called_directly=False, is_eager=False, retries=0)
    try:
        assert once.run_once(ping, ping.run, (), {}) == "pong"
        with pytest.raises(Ignore):
            once.run_once(ping, ping.run, (), {})
    finally:
        ping.pop_request()


def test_a_run_that_fails_through_run_once_is_released_for_its_retry(store, monkeypatch) -> None:
    monkeypatch.setattr("framework.tasks.once.store_for", lambda app: store)
    app = store.app or client_app()
    ping = app.tasks["framework.tasks.ping"]
    task_id = new_id()

    def failing() -> None:
        raise ConnectionError("the other side is down")

    ping.push_request(id=task_id, hostname="celery@a", called_directly=False, is_eager=False, retries=0)
    try:
        with pytest.raises(ConnectionError):
            once.run_once(ping, failing, (), {})
        assert once.run_once(ping, ping.run, (), {}) == "pong"
    finally:
        ping.pop_request()


def test_a_retry_finds_its_id_released_before_it_is_sent(store, monkeypatch) -> None:
    import celery
    from celery.exceptions import Retry

    monkeypatch.setattr("framework.tasks.once.store_for", lambda app: store)
    app = store.app or client_app()
    ping = app.tasks["framework.tasks.ping"]
    task_id, seen = new_id(), []

    def send_the_retry(self, *args, **kwargs):  # Celery's: the retry may run at once, in another worker
        seen.append(store.claim(task_id, "x", hostname="celery@b", time_limit=60).action)
        raise Retry()

    monkeypatch.setattr(celery.Task, "retry", send_the_retry)
    ping.push_request(id=task_id, hostname="celery@a", called_directly=False, is_eager=False, retries=0)
    try:
        with pytest.raises(Retry):
            once.run_once(ping, ping.retry, (), {})
    finally:
        ping.pop_request()

    assert seen == ["run"]
    assert store.claim(task_id, "x", hostname="celery@c", time_limit=60).action == "wait"  # the retry's claim stays


# --- The Redis store ---------------------------------------------------------------

def test_in_redis_claims_and_completed_ids_expire_by_themselves(redis_store, settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_COMPLETED_TASKS_KEPT": 120}
    task_id = new_id()
    client = redis_store.client()

    redis_store.claim(task_id, "x", hostname="celery@a", time_limit=60)
    assert client.get(key(task_id)) == f"celery@a:{os.getpid()}".encode()
    assert 0 < client.pttl(key(task_id)) <= (60 + CLAIM_SLACK) * 1000
    redis_store.finish(task_id)
    assert client.get(key(task_id)) == b"done"
    assert 60 * 1000 < client.pttl(key(task_id)) <= 120 * 1000
    assert redis_store.purge() == 0  # nothing to purge: Redis forgets them


def test_in_redis_a_release_leaves_a_claim_another_process_took(redis_store) -> None:
    task_id = new_id()
    held_by(redis_store, task_id, f"celery@b:{DEAD_PID}", seconds=300)  # ours expired, another worker's now

    redis_store.release(task_id, hostname="celery@a")

    assert redis_store.client().get(key(task_id)) == f"celery@b:{DEAD_PID}".encode()


def test_the_redis_keys_are_apart_from_kombu_s_and_celery_s() -> None:
    assert key("abc") == "framework:tasks:claim:abc"
    for kombu_or_celery in ("_kombu.binding.", "unacked", "celery", "celery-task-meta-"):
        assert not KEY_PREFIX.startswith(kombu_or_celery)


def untracked(store: RedisClaims, caplog: pytest.LogCaptureFixture) -> None:
    task_id = new_id()
    with caplog.at_level(logging.WARNING, logger="framework.tasks"):
        found = store.claim(task_id, "framework.tasks.ping", hostname="celery@a", time_limit=60)
        store.finish(task_id)
        store.release(task_id, hostname="celery@a")

    assert (found.action, found.tracked) == ("run", False)
    messages = [record.getMessage() for record in caplog.records]
    assert messages[0].startswith(f"Task framework.tasks.ping[{task_id}] runs without the check for duplicates: Redis at redis://127.0.0.1:")
    assert "could not be recorded" in messages[1] and "could not be released" in messages[2]


def test_a_redis_that_is_down_makes_the_task_run_untracked_with_a_warning(caplog) -> None:
    untracked(RedisClaims(client_app(CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")), caplog)


def test_a_redis_stopped_after_a_claim_makes_the_next_task_run_untracked(tmp_path, caplog) -> None:
    with started_redis_server(tmp_path) as (url, server):
        store = RedisClaims(client_app(CELERY_BROKER_URL=url))
        assert store.claim(new_id(), "x", hostname="celery@a", time_limit=60).action == "run"
        server.stop(timeout=10)
        untracked(store, caplog)


def test_a_hung_redis_makes_the_task_run_untracked_not_wait(caplog) -> None:
    # Accepts connections (the kernel's backlog), answers nothing: bounded by the socket timeout.
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        port = hung.getsockname()[1]
        untracked(RedisClaims(client_app(CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0", CELERY_ENQUEUE_TIMEOUT="4")), caplog)


# --- Which store ---------------------------------------------------------------------

@pytest.mark.parametrize(("configured", "broker", "expected"), [
    (None, "redis://127.0.0.1:6379/0", RedisClaims),
    (None, "rediss://127.0.0.1:6380/0", RedisClaims),
    (None, "filesystem://localhost/", DatabaseClaims),
    (None, "amqp://guest@127.0.0.1//", DatabaseClaims),
    ("database", "redis://127.0.0.1:6379/0", DatabaseClaims),
    ("redis", "redis://127.0.0.1:6379/0", RedisClaims),
])
def test_the_store_is_redis_with_a_redis_broker_else_the_database_unless_set(configured, broker, expected) -> None:
    assert store_path(configured, broker) == f"{expected.__module__}.{expected.__name__}"


class RecordingClaims(ClaimStore):
    """A project's own store."""


def test_a_store_of_the_project_s_own_is_made_with_the_app(settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_CLAIMS_STORE": f"{__name__}.RecordingClaims"}
    app = client_app()

    made = store_for(app)

    assert isinstance(made, RecordingClaims) and made.app is app
    assert store_for(app) is made  # once per process


def test_an_unknown_store_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValidationError, match=r"unknown name 'memcached' \(expected one of: database, redis, or an import string"):
        TasksSettings(CLAIMS_STORE="memcached")
    assert TasksSettings(CLAIMS_STORE="myproject.claims.MyClaims").CLAIMS_STORE == "myproject.claims.MyClaims"


def test_the_redis_store_with_a_broker_that_is_not_redis_says_what_to_set() -> None:
    with pytest.raises(ImproperlyConfigured, match="CELERY_CLAIMS_STORE=redis keeps the claims in the broker's Redis"):
        RedisClaims(client_app())


def test_a_store_that_cannot_be_used_is_a_check_error(settings) -> None:
    from framework.tasks.checks import check_claims_store

    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_CLAIMS_STORE": "nowhere.Claims"}
    [unimportable] = check_claims_store()
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_CLAIMS_STORE": "redis"}
    [not_redis] = check_claims_store()  # the tests' broker is the embedded one

    assert unimportable.id == not_redis.id == "framework.tasks.E002"
    assert "'nowhere.Claims', which cannot be used: No module named 'nowhere'" in unimportable.msg
    assert not_redis.msg.startswith("CELERY_CLAIMS_STORE=redis keeps the claims in the broker's Redis, but the broker is the embedded broker")
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_CLAIMS_STORE": None}
    assert check_claims_store() == []
