"""The Redis transport's work-around: a channel closed after its connection (Redis was down) restores its messages.

The worker's sequence when Redis goes away with tasks in flight: closing the
connection closes its channels, the first of which fails (Redis is down), so
the others stay open while the transport loses its client; they are closed
later, once Redis is back. kombu's own transport then fails with the
AttributeError that stops the worker; the framework's restores the messages.
"""

from __future__ import annotations

import time

import pytest
import redis
from kombu import Connection, Producer, Queue

from tests.e2e.conftest import free_port

from .test_enqueue import redis_on


def left_open_by_an_outage(transport: str, port: int, folder: str):
    """Two channels that took a message each, unacknowledged; Redis stopped; the connection closed; Redis back."""
    with redis_on(port, folder):
        connection = Connection(f"redis://127.0.0.1:{port}/0", transport=transport)
        channels = []
        for number in range(2):
            channel = connection.channel()
            queue = Queue(f"q{number}", channel=channel)
            Producer(channel).publish({"n": number}, routing_key=f"q{number}", declare=[queue])
            assert queue.get(no_ack=False) is not None
            channels.append(channel)
    connection.close()  # Redis is down: closing the first channel fails, the other stays open
    left_open = [channel for channel in channels if not channel.closed]
    assert len(left_open) == 1
    return left_open[0]


@pytest.fixture
def port(tmp_path):
    return free_port()


def test_kombu_s_own_transport_crashes_there(port, tmp_path) -> None:
    # When this fails, kombu has fixed it, and framework/tasks/transport.py can go.
    channel = left_open_by_an_outage("redis", port, str(tmp_path))
    with redis_on(port, str(tmp_path)):
        time.sleep(0.5)  # past loading its append-only file
        with pytest.raises(AttributeError, match="'NoneType' object has no attribute 'hostname'"):
            channel.close()


def test_the_framework_s_transport_restores_the_message_instead(port, tmp_path) -> None:
    channel = left_open_by_an_outage("framework.tasks.transport:Transport", port, str(tmp_path))
    with redis_on(port, str(tmp_path)):
        time.sleep(0.5)
        channel.close()
        restored = redis.Redis(port=port).llen("q0") + redis.Redis(port=port).llen("q1")

    assert restored == 1  # back in its queue, for the next worker
