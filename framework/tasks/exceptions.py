"""The task queue's errors."""

from __future__ import annotations

from framework.exceptions import DependencyUnavailable


class BrokerUnavailable(DependencyUnavailable):
    """The task broker could not be reached in time: the task was not enqueued.

    In an API view it is answered with 503 `service_unavailable`; the message,
    which names the broker, goes to the log, not to the caller.
    """


BROKER_UNREACHABLE = (
    "cannot reach the task broker at {url} ({reason}); check CELERY_BROKER_URL / REDIS_URL "
    "and that the broker is running"
)
