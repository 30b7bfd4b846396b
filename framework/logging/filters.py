"""Log filters: Django's line for an expected client error, which the access line already tells."""

from __future__ import annotations

import logging

#: The statuses of a caller's expected mistakes: no credentials, no right, no such thing, too many requests.
EXPECTED_CLIENT_ERRORS = frozenset({401, 403, 404, 429})


class ExpectedClientErrorFilter(logging.Filter):
    """Drops django.request's "Unauthorized: /path" lines (401, 403, 404, 429); keeps every other one.

    The access line already says the request was answered so; another line per
    refused caller is noise, and a scan of unknown URLs would double the log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) not in EXPECTED_CLIENT_ERRORS
