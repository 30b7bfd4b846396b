"""The embedded broker's transport: a consumer never reads a message that is not yet whole (celery/kombu#1551).

kombu's filesystem transport creates a message's file, then writes it: a worker
looking in between read an empty message and exited on the JSON error.
"""

from __future__ import annotations

import os
import threading
from queue import Empty

from kombu import Connection

from framework.tasks import transport

from .conftest import client_app

TRANSPORT = "framework.tasks.transport:FilesystemTransport"


def channel_on(folder, name: str = TRANSPORT):
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder), "store_processed": False}
    return Connection("filesystem://localhost/", transport=name, transport_options=options).channel()


def test_a_message_being_written_is_not_seen_by_consumers_until_whole(tmp_path, monkeypatch):
    consumer = channel_on(tmp_path)
    seen_while_written = []
    rename = os.replace

    def renamed(source, destination):
        # The whole message is on disk, under a name no consumer takes.
        try:
            seen_while_written.append(consumer._get("q"))
        except Empty:
            pass
        seen_while_written.append(consumer._size("q"))
        rename(source, destination)

    monkeypatch.setattr(transport.os, "replace", renamed)
    channel_on(tmp_path)._put("q", {"n": 1})

    assert seen_while_written == [0]
    assert consumer._get("q") == {"n": 1}
    assert os.listdir(tmp_path) == []


def test_a_consumer_racing_a_publisher_reads_every_message_whole(tmp_path):
    count, body = 300, "x" * (1 << 20)  # large, so that writing one takes a while
    read, errors = [], []

    def publish():
        channel = channel_on(tmp_path)
        for number in range(count):
            channel._put("q", {"n": number, "body": body})

    publisher = threading.Thread(target=publish)
    publisher.start()
    consumer = channel_on(tmp_path)
    while len(read) + len(errors) < count and (publisher.is_alive() or consumer._size("q")):
        try:
            read.append(consumer._get("q")["n"])
        except Empty:
            pass
        except ValueError as error:  # kombu's own transport: JSONDecodeError, now and then
            errors.append(error)
    publisher.join()

    assert errors == []
    assert read == list(range(count))


def test_the_embedded_broker_gets_it_and_another_broker_does_not(tmp_path):
    embedded = client_app(CELERY_BROKER_URL=f"filesystem://{tmp_path}")
    amqp = client_app(CELERY_BROKER_URL="amqp://guest@127.0.0.1//")

    with embedded.connection_for_write() as connection:
        assert type(connection.transport) is transport.FilesystemTransport
    with amqp.connection_for_write() as connection:
        assert connection.transport_cls == "amqp"
