"""`manage.py sendtestemail`: Django's command, with a one-line error when the email cannot be sent."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands import sendtestemail

from framework.email.mailers import describe_default_mailer

NOT_SENT = "The test email was not sent through {where}: {error} (check EMAIL_URL)."


class Command(sendtestemail.Command):
    def handle(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().handle(*args, **kwargs)
        except (OSError, smtplib.SMTPException) as error:
            raise CommandError(NOT_SENT.format(where=describe_default_mailer(), error=error)) from error
