"""The task that sends an email composed by `framework.email.send_email`, retried while the server is away."""

from __future__ import annotations

import logging
import smtplib
import socket
from typing import Any

from framework.tasks import task

from .messages import to_django

logger = logging.getLogger("framework.email")

#: The server could not be reached, or answered "try again later" (a 4xx reply).
CONNECTION_ERRORS = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)

SENT = "Email %s sent to %d recipient(s)."
WILL_RETRY = "Email %s not sent (attempt %d of %d), will retry: %s"
GAVE_UP = "Email %s not sent after %d attempt(s), giving up: %s"
FAILED = "Email %s not sent: %s"


class TemporaryFailure(Exception):
    """The SMTP server refused for now (a 4xx reply): worth another try."""


def _describe(error: BaseException) -> str:
    # The error's type and text, which name the server's answer, never the message or the password.
    return f"{type(error).__name__}: {error}"


def _is_temporary(error: BaseException) -> bool:
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 400 <= code < 500


def deliver(message: dict[str, Any]) -> None:
    """Send a `compose()` dict now through the configured email backend; raise on failure."""
    email = to_django(message)
    email.send()  # raises on failure: fail_silently is off by default (and deprecated in Django 6.1)
    logger.info(SENT, message["message_id"], len(email.recipients()))


# The framework's task defaults (late acknowledgement, after-commit sending, the
# request id), with retries tuned for mail servers: slower, and on SMTP's own errors.
@task(
    name="framework.email.send",
    bind=True,
    autoretry_for=(*CONNECTION_ERRORS, TemporaryFailure),
    retry_backoff=10,  # 10 s, 20 s, 40 s ... with jitter, at most 10 minutes apart
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
    # The arguments hold the message: they must not be kept in the result backend.
    ignore_result=True,
)
def send_email_task(self: Any, message: dict[str, Any]) -> None:
    """Send one email; on a connection error or a 4xx reply, retry with backoff; log the outcome."""
    message_id = message["message_id"]
    try:
        deliver(message)
    except Exception as error:
        temporary = isinstance(error, CONNECTION_ERRORS) or _is_temporary(error)
        attempt, attempts = self.request.retries + 1, self.max_retries + 1
        if not temporary:
            logger.error(FAILED, message_id, _describe(error))
            raise
        if attempt >= attempts:
            logger.error(GAVE_UP, message_id, attempt, _describe(error))
        else:
            logger.warning(WILL_RETRY, message_id, attempt, attempts, _describe(error))
        if isinstance(error, CONNECTION_ERRORS):
            raise
        raise TemporaryFailure(_describe(error)) from error
