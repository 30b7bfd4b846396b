"""Sending email: through the task queue (`send_email`) or at once (`send_now`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .messages import compose
from .tasks import deliver, send_email_task


def send_email(*, using: str | None = None, **message: Any) -> str:
    """Queue an email to be sent by a worker; return its Message-ID.

    Takes the arguments of `framework.email.messages.compose` (to, subject,
    body, html, template, context, cc, bcc, reply_to, from_email,
    attachments, headers). The email is checked and rendered now, so a bad
    address raises InvalidEmail here and nothing is queued. Inside a
    transaction it is queued when the transaction commits (database `using`),
    so a rolled back change sends nothing. The worker retries with backoff
    while the server is unreachable and logs the outcome with the Message-ID.
    """
    composed = compose(**message)

    def enqueue() -> None:
        send_email_task.apply_async(kwargs={"message": composed})

    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(enqueue, using=using)
    else:
        enqueue()
    return composed["message_id"]


def send_now(**message: Any) -> str:
    """Send an email now, in this process; return its Message-ID; raise if it could not be sent.

    Takes the same arguments as `send_email`.
    """
    composed = compose(**message)
    deliver(composed)
    return composed["message_id"]
