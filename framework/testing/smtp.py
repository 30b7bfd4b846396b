"""A real SMTP server for end-to-end mail tests: aiosmtpd on a free local port, in a thread."""

from __future__ import annotations

import email
import errno
import email.policy
import threading
import time
from email.message import EmailMessage
from typing import Any

from .ports import free_port

PORT_TRIES = 3


class SMTPServer:
    """An SMTP server that keeps every message it receives, parsed, in `messages`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.messages: list[EmailMessage] = []
        self._arrived = threading.Condition()
        self._host, self._port = host, port
        self._controller = self._new_controller()

    def _new_controller(self) -> Any:
        from aiosmtpd.controller import Controller

        return Controller(self, hostname=self._host, port=self._port or free_port(self._host))

    @property
    def host(self) -> str:
        return self._controller.hostname

    @property
    def port(self) -> int:
        return self._controller.port

    @property
    def url(self) -> str:
        """The EMAIL_URL that sends to this server."""
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> SMTPServer:
        """Start listening; on a free port (the one asked for, if any), another if a process took it meanwhile."""
        for attempt in range(1, PORT_TRIES + 1):
            try:
                self._controller.start()
                return self
            except OSError as error:  # aiosmtpd passes on the bind's EADDRINUSE
                if self._port or attempt == PORT_TRIES or error.errno != errno.EADDRINUSE:
                    raise
                self._controller = self._new_controller()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def wait_for(self, count: int = 1, timeout: float = 10) -> list[EmailMessage]:
        """The messages once at least `count` have arrived; AssertionError after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.messages)} of {count} messages arrived within {timeout}s")
                self._arrived.wait(remaining)
            return list(self.messages)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"
