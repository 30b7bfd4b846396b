"""Enqueueing: after commit (through the outbox), the request id in the headers, and the broker down (201 in the API)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import celery
import pytest
from django.db import transaction
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.test import APIClient

from framework.api.viewsets import ModelViewSet
from framework.logging.request_id import reset_request_id, set_request_id
from framework.tasks import BrokerUnavailable, outbox
from framework.tasks.models import OutboxMessage
from framework.testing.ports import free_port
from framework.testing.processes import Process, accepts_connections
from tests.services import key_prefix, redis_server, redis_url
from tests.testapp.models import Book

from .conftest import client_app

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_queue() -> Iterator:
    """An app on this run's Redis database, with no worker, sending to a queue of the test's own:
    what is sent stays in the queue, for the test to read."""
    url = redis_url()
    app = client_app(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url)
    app.conf.task_default_queue = key_prefix("enqueue-tests")
    yield app
    app.control.purge()  # the default queue: the test's own


def messages(app) -> list[dict]:
    with app.connection_for_read() as connection:
        raw = connection.default_channel.client.lrange(app.conf.task_default_queue, 0, -1)
        return [json.loads(message) for message in raw]


#: A server whose data outlives a restart on the same port and folder.
PERSISTENT = ("--appendonly", "yes", "--appendfsync", "always")


@contextmanager
def redis_on(port: int, folder: str) -> Iterator[Process]:
    """A redis-server of the test's own on `port`, its data kept in `folder` (args[-1]); stopped after."""
    with redis_server(Path(folder), port, *PERSISTENT) as process:
        process.wait_until(accepts_connections("127.0.0.1", port), timeout=10, what="accept connections")
        yield process


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, Process]]:
    """A Redis server of this test's own, which the test may stop."""
    port = free_port()
    with redis_on(port, str(tmp_path)) as process:
        yield f"redis://127.0.0.1:{port}/0", process


def stop_server(process: Process) -> None:
    process.stop(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_transaction_is_sent_when_it_commits(redis_queue) -> None:
    ping = redis_queue.tasks["framework.tasks.ping"]

    with transaction.atomic():
        result = ping.delay()
        assert messages(redis_queue) == []

    sent = messages(redis_queue)
    assert [message["headers"]["id"] for message in sent] == [result.id]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_rolled_back_transaction_is_never_sent(redis_queue) -> None:
    ping = redis_queue.tasks["framework.tasks.ping"]

    with pytest.raises(RuntimeError), transaction.atomic():
        ping.delay()
        raise RuntimeError("the request failed")

    assert messages(redis_queue) == []


def test_outside_a_transaction_a_task_is_sent_at_once(redis_queue) -> None:
    redis_queue.tasks["framework.tasks.ping"].delay()

    assert len(messages(redis_queue)) == 1


def test_the_request_id_travels_in_the_headers(redis_queue) -> None:
    token = set_request_id("req-in-headers")
    try:
        redis_queue.tasks["framework.tasks.ping"].delay()
    finally:
        reset_request_id(token)

    assert messages(redis_queue)[0]["headers"]["request_id"] == "req-in-headers"


@pytest.mark.django_db(transaction=True)
def test_a_countdown_beyond_the_visibility_timeout_waits_in_the_outbox_not_in_the_broker(redis_queue, caplog) -> None:
    visibility_timeout = redis_queue.conf.broker_transport_options["visibility_timeout"]
    ping = redis_queue.tasks["framework.tasks.ping"]

    with caplog.at_level(logging.WARNING, logger="framework.tasks"):
        result = ping.apply_async(countdown=visibility_timeout + 60)

    assert messages(redis_queue) == []
    assert caplog.records == []  # nothing to warn about: it cannot run twice
    assert OutboxMessage.objects.get().task_id == result.id


def test_an_unreachable_broker_fails_the_enqueue_with_a_clear_error() -> None:
    ping = client_app(CELERY_BROKER_URL=UNREACHABLE).tasks["framework.tasks.ping"]

    with pytest.raises(BrokerUnavailable, match="cannot reach the task broker at redis://127.0.0.1:1/0"):
        ping.delay()


def test_a_broker_stopped_while_enqueueing_fails_within_the_enqueue_timeout(own_redis) -> None:
    url, server = own_redis
    app = client_app(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=redis_url(), CELERY_ENQUEUE_TIMEOUT="2")
    ping = app.tasks["framework.tasks.ping"]
    ping.delay()  # connected, and sending

    stop_server(server)
    started = time.monotonic()
    with pytest.raises(BrokerUnavailable):
        ping.delay()
    assert time.monotonic() - started < 2 + 1  # the enqueue timeout, and scheduling slack


# --- In an API view ----------------------------------------------------------------

class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title", "pages"]


#: What the view enqueues after saving; each test sets it.
enqueue: Callable[[], object] = lambda: None  # noqa: E731


class BookViewSet(ModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def perform_create(self, serializer: BookSerializer) -> None:
        serializer.save()
        enqueue()


urlpatterns = [
    path("api/books/", BookViewSet.as_view({"get": "list", "post": "create"})),
]


@pytest.fixture
def api() -> APIClient:
    return APIClient(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_broker_down_in_an_api_write_is_201_and_the_task_waits_in_the_outbox(api, monkeypatch) -> None:
    ping = client_app(CELERY_BROKER_URL=UNREACHABLE).tasks["framework.tasks.ping"]
    monkeypatch.setattr(__import__(__name__, fromlist=["enqueue"]), "enqueue", ping.delay)

    response = api.post("/api/books/", {"title": "Dune", "pages": 412}, format="json")

    assert response.status_code == 201, response.content
    assert Book.objects.filter(title="Dune").exists()
    row = OutboxMessage.objects.get()
    assert (row.name, row.options["headers"]["request_id"]) == ("framework.tasks.ping", response["X-Request-ID"])
    assert "cannot reach the task broker" in row.last_error


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_broker_lost_before_the_commit_is_201_and_the_relay_publishes_the_task_when_it_is_back(api, own_redis, monkeypatch) -> None:
    url, server = own_redis
    app = client_app(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=redis_url())
    ping = app.tasks["framework.tasks.ping"]
    sent = []

    def enqueue_then_lose_the_broker() -> None:
        sent.append(ping.delay().id)
        stop_server(server)

    monkeypatch.setattr(__import__(__name__, fromlist=["enqueue"]), "enqueue", enqueue_then_lose_the_broker)

    response = api.post("/api/books/", {"title": "Dune", "pages": 412}, format="json")

    assert response.status_code == 201, response.content
    assert list(OutboxMessage.objects.values_list("task_id", flat=True)) == sent
    with redis_on(int(url.split(":")[2].split("/")[0]), server.args[-1]):
        assert outbox.relay(app) == 1
        assert [message["headers"]["id"] for message in messages(app)] == sent
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("password", ["pa/ss", "p@ss", "pa:ss", "pa%2Fss"])
def test_the_broker_password_is_masked_in_the_unreachable_error(password) -> None:
    from framework.tasks.base import broker_unavailable
    from framework.tasks.connections import describe

    # Not through the settings, which refuse an unencoded `/` or `@`: a URL given to Celery directly.
    app = celery.Celery(broker=f"redis://user:{password}@127.0.0.1:1/0", set_as_current=False)

    message = str(broker_unavailable(app, ConnectionRefusedError("refused")))

    assert "redis://user:********@127.0.0.1:1/0" in message and password not in message
    assert password not in describe(app)
