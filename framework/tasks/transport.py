"""The Redis broker's transport: kombu's, with a work-around for a crash of the worker when Redis restarts.

kombu 5.7.0 (and every release since 3.0: celery/kombu#582, #970): when the
broker goes away, the worker closes the old connection, which sets its
transport's `client` to None, and then its channels. Closing a channel
restores the messages it had taken but not acknowledged, through a new Redis
client, whose parameters `Channel._connparams` reads from `connection.client`:
`AttributeError: 'NoneType' object has no attribute 'hostname'`. That error is
not a connection error, so Celery takes it for an unrecoverable one and the
worker exits (status 1) instead of reconnecting. It happens only when a
channel still holds unacknowledged messages at that moment, hence only now
and then (a worker with tasks in flight while Redis restarts).

Here a channel remembers the connection it was opened on and lends it to
`_connparams` when the transport has lost it, so the messages are restored
(to the Redis that is back) and the worker reconnects. Remove this module
once kombu reads the parameters it needs before the connection closes.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis


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
