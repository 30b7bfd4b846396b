"""`manage.py sendtestemail`: Django's command, with a one-line error when the email cannot be sent."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import sendtestemail

NOT_SENT = "The test email was not sent through {where}: {error} (check EMAIL_URL)."


class Command(sendtestemail.Command):
    def handle(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().handle(*args, **kwargs)
        except (OSError, smtplib.SMTPException) as error:
            if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend"):
                where = f"the SMTP server {settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
            else:
                where = settings.EMAIL_BACKEND
            raise CommandError(NOT_SENT.format(where=where, error=error)) from error
