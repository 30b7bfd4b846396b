"""kombu's transports, with work-arounds for two ways they lose a worker, each checked with kombu 5.5 to 5.7.

The Redis broker (`Transport`). When the broker goes away, the worker closes
the old connection, which sets its transport's `client` to None, and then its
channels. Closing a channel restores the messages it had taken but not
acknowledged, through a new Redis client, whose parameters
`Channel._connparams` reads from `connection.client`: `AttributeError:
'NoneType' object has no attribute 'hostname'` (every release since 3.0:
celery/kombu#582, #970). That error is not a connection error, so Celery takes
it for an unrecoverable one and the worker exits (status 1) instead of
reconnecting. It happens only when a channel still holds unacknowledged
messages at that moment, hence only now and then (a worker with tasks in
flight while Redis restarts). Here a channel remembers the connection it was
opened on and lends it to `_connparams` when the transport has lost it, so the
messages are restored (to the Redis that is back) and the worker reconnects.
Remove it once kombu reads the parameters it needs before the connection
closes.

The embedded broker (`FilesystemTransport`). kombu's filesystem transport
creates a message's file under its final name and then writes it, and its
consumers read any file of their queue they find, without the writer's lock:
a worker that looks in between reads an empty or partial message, and exits
on the JSON error (`Unrecoverable error: JSONDecodeError`, celery/kombu#1551,
open). Here a message is written under a name no consumer takes, then renamed,
which is atomic within a folder: a consumer sees a message whole or not at
all. Remove it once kombu publishes its files so.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, redis
from kombu.utils.json import dumps


class Channel(redis.Channel):
    def __init__(self, connection: Any, *args: Any, **kwargs: Any) -> None:
        self._opened_on = connection.client
        super().__init__(connection, *args, **kwargs)

    def _connparams(self, asynchronous: bool = False) -> Any:
        transport = self.connection
        if transport.client is not None or self._opened_on is None:
            return super()._connparams(asynchronous)
        transport.client = self._opened_on
        try:
            return super()._connparams(asynchronous)
        finally:
            transport.client = None


class Transport(redis.Transport):
    Channel = Channel


#: What a message's file is called while it is written: consumers take only names ending in ".<queue>.msg".
PARTIAL = ".partial"


class FilesystemChannel(filesystem.Channel):
    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        # kombu's name (consumers take the files oldest first, by the time at its start), once whole.
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            with open(path + PARTIAL, "wb") as file:
                file.write(dumps(payload).encode())
            os.replace(path + PARTIAL, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(path + PARTIAL)
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc


class FilesystemTransport(filesystem.Transport):
    Channel = FilesystemChannel
