"""A real SMTP server (aiosmtpd, in a thread, on a free port) and settings that send to it."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field

import celery._state
import pytest
from aiosmtpd.controller import Controller
from celery import Celery
from django.test import override_settings

from framework.conf.urls import email_settings
from tests.e2e.conftest import free_port


@dataclass
class Inbox:
    """What the SMTP server received: each message parsed, with its envelope recipients."""

    messages: list[email.message.EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    #: The server's answer to a message; set it to a 4xx or 5xx reply to refuse messages.
    reply: str = "250 Message accepted for delivery"
    attempts: int = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 -- aiosmtpd's hook name
        self.attempts += 1
        if not self.reply.startswith("250"):
            return self.reply
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """An SMTP server on a free port; yields (its email URL, its inbox)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server):
    """Email settings from EMAIL_URL=smtp://127.0.0.1:<port> of the running server; yields its inbox."""
    url, inbox = smtp_server
    with override_settings(**email_settings(url, timeout=5)):
        yield inbox


@pytest.fixture
def email_down():
    """Email settings pointing at a port where no server listens."""
    with override_settings(**email_settings(f"smtp://127.0.0.1:{free_port()}", timeout=5)):
        yield


@pytest.fixture
def eager_tasks():
    """A Celery app running tasks in the calling process (until the task queue's test worker is here)."""
    previous = celery._state.get_current_app()
    app = Celery("email-tests", set_as_current=False)
    app.conf.update(task_always_eager=True, task_eager_propagates=False, task_serializer="json")
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
