"""Email settings: EMAIL_URL and the senders, as Django's EMAIL_* settings."""

from __future__ import annotations

from typing import Any

from ..schema import Context, Schema, setting
from ..types import EmailAddress, EmailURL, PositiveInt
from ..urls import email_config


class EmailSettings(Schema):
    title = "Email"

    EMAIL_URL: EmailURL = setting(
        None,
        "console://, file:///path, locmem://, smtp://user:password@host:25, "
        "smtp+tls://...:587 (STARTTLS) or smtp+ssl://...:465. Default: console (printed, not sent).",
    )
    EMAIL_TIMEOUT: PositiveInt = setting(10, "Seconds before an SMTP connection or command gives up.")
    DEFAULT_FROM_EMAIL: EmailAddress = setting(
        "webmaster@localhost", "Sender of email sent by the service, e.g. `Service <noreply@example.com>`."
    )
    SERVER_EMAIL: EmailAddress = setting("root@localhost", "Sender of error reports to the site's admins.")

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            **email_config(self.EMAIL_URL or "console://"),
            "EMAIL_TIMEOUT": self.EMAIL_TIMEOUT,
            "DEFAULT_FROM_EMAIL": self.DEFAULT_FROM_EMAIL,
            "SERVER_EMAIL": self.SERVER_EMAIL,
        }
