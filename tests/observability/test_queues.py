"""The task queue seen at scrape time: each queue's length as the broker tells, and the outbox backlog."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from framework.observability.queues import queue_lengths
from framework.tasks.models import OutboxMessage
from tests.services import key_prefix, redis_url, require
from tests.tasks.conftest import client_app

from .conftest import value

pytestmark = pytest.mark.django_db(transaction=True)


def app_on(broker: str):
    app = client_app(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=redis_url())
    app.conf.task_default_queue = key_prefix(f"queue-metrics-{uuid.uuid4().hex[:6]}")
    return app


@pytest.mark.parametrize("broker", ["redis", "embedded"])
def test_each_queue_s_length_is_what_waits_in_it(broker, tmp_path):
    app = app_on(redis_url() if broker == "redis" else f"filesystem://{tmp_path / 'broker'}")
    queue = app.conf.task_default_queue
    try:
        assert queue_lengths(app) == {queue: 0}  # Redis keeps no key for an empty queue: 0, not left out
        for _ in range(3):
            app.tasks["framework.tasks.ping"].delay()

        assert queue_lengths(app) == {queue: 3}
    finally:
        app.control.purge()


def test_on_rabbitmq_a_queue_not_declared_yet_is_left_out_and_a_declared_one_counted():
    require("RabbitMQ", "127.0.0.1", 5672)
    app = app_on("amqp://guest@127.0.0.1//")
    queue = app.conf.task_default_queue
    try:
        # RabbitMQ refuses a passive declare of an unknown queue, and closes the channel: no length, no error.
        assert queue_lengths(app) == {}
        for _ in range(3):
            app.tasks["framework.tasks.ping"].delay()  # publishing declares the queue

        assert queue_lengths(app) == {queue: 3}
    finally:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(queue=queue)


def test_a_broker_that_does_not_answer_leaves_the_lengths_out():
    assert queue_lengths(app_on("redis://127.0.0.1:1/0")) == {}


def outbox_row(name: str, due_in: float) -> OutboxMessage:
    due = timezone.now() + timedelta(seconds=due_in)
    return OutboxMessage.objects.create(
        task_id=uuid.uuid4().hex, name=name, args=[], kwargs={}, options={}, created_at=due, due_at=due, next_attempt_at=due,
    )


def test_the_outbox_backlog_counts_the_tasks_past_due_and_the_oldest_s_wait(scrape):
    outbox_row("framework.tasks.ping", -120)
    outbox_row("framework.tasks.ping", -5)
    outbox_row("framework.tasks.ping", 3600)  # delayed, not late

    found = scrape()

    assert value(found, "tasks_outbox_backlog") == 2
    assert 120 <= value(found, "tasks_outbox_oldest_age_seconds") < 180


def test_without_the_outbox_there_is_no_backlog(scrape, settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_OUTBOX": False}

    assert not [key for key in scrape() if key[0].startswith("tasks_outbox")]


def test_the_scrape_gives_the_length_of_the_project_s_queues(scrape):
    from framework.tasks import get_app

    # "celery", or the run's own queue once the session's task_worker has started
    queue = get_app().conf.task_default_queue
    assert ("tasks_queue_length", frozenset({("queue", queue)})) in scrape()
