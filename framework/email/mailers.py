"""The default mailer, as configured on either Django line: MAILERS["default"] (6.1) or the EMAIL_* settings (5.2)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from framework.conf.compat import HAS_MAILERS

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def default_mailer() -> tuple[str, dict[str, Any]]:
    """The default mailer's backend and its options (host, port... for SMTP)."""
    if HAS_MAILERS and hasattr(settings, "MAILERS"):
        entry = settings.MAILERS.get("default", {})
        return entry.get("BACKEND", SMTP_BACKEND), dict(entry.get("OPTIONS", {}))
    return settings.EMAIL_BACKEND, {"host": settings.EMAIL_HOST, "port": settings.EMAIL_PORT}


def describe_default_mailer() -> str:
    """Where email goes, for a message to a person: the SMTP server's address, or the backend."""
    backend, options = default_mailer()
    if backend == SMTP_BACKEND:
        return f"the SMTP server {options.get('host', 'localhost')}:{options.get('port', 25)}"
    return backend
