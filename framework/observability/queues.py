"""The task queue seen at scrape time: tasks waiting in each broker queue, and in the outbox.

Read by whichever process answers the scrape, from the broker and the
database: the same values from `/metrics` and from each worker (take their
max). A broker or database that does not answer leaves its metrics out of that
scrape; the other metrics are still given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

logger = logging.getLogger("framework.observability")


def queue_lengths(app: Any) -> dict[str, int]:
    """Tasks waiting in each of `app`'s queues, as the broker tells (Redis, the embedded broker, RabbitMQ)."""
    from amqp.exceptions import ChannelError as AMQPChannelError
    from kombu.exceptions import ChannelError
    from kombu.transport import virtual

    from framework.tasks.base import BROKER_ERRORS

    names = list(app.amqp.queues) or [app.conf.task_default_queue]
    lengths: dict[str, int] = {}
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
            channel = connection.default_channel
            for name in names:
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except (ChannelError, AMQPChannelError):
                    # Redis and the embedded broker keep no empty queue; RabbitMQ's is one not declared yet.
                    if isinstance(channel, virtual.Channel):
                        lengths[name] = 0
                    else:
                        channel = connection.channel()  # the error closed it
    except BROKER_ERRORS as error:
        logger.debug("Task queue lengths left out of the metrics: the broker does not answer (%s)", error)
    return lengths


def outbox_backlog() -> tuple[int, float] | None:
    """Tasks waiting in the outbox past their due time, and the seconds the oldest has waited; None when off or unreadable."""
    from django.db import DatabaseError

    from framework.tasks import outbox

    if not outbox.enabled():
        return None
    try:
        count, age = outbox.backlog()
    except DatabaseError as error:
        logger.debug("Outbox backlog left out of the metrics: %s", error)
        return None
    return count, age or 0.0


class TaskQueueCollector:
    """prometheus-client's collector of the queue lengths and the outbox backlog, read at each scrape."""

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

        from framework.tasks import get_app

        lengths = queue_lengths(get_app())
        if lengths:
            family = GaugeMetricFamily("tasks_queue_length", "Tasks waiting in the broker's queue.", labels=["queue"])
            for name, length in sorted(lengths.items()):
                family.add_metric([name], length)
            yield family
        backlog = outbox_backlog()
        if backlog is not None:
            count, age = backlog
            yield GaugeMetricFamily(
                "tasks_outbox_backlog", "Tasks in the outbox past their due time, not yet published to the broker.", value=count
            )
            yield GaugeMetricFamily(
                "tasks_outbox_oldest_age_seconds", "Seconds the oldest task of the outbox backlog has waited (0: none).", value=age
            )
