"""Logging: request ids, structured lines (JSON or console), the access log, masking of sensitive values.

    from framework.logging import get_request_id, not_logged

The names are imported on first use: Django imports this package for the
formatters and filter LOGGING names, before the apps are ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framework.lazy import facade

if TYPE_CHECKING:
    from .access import not_logged
    from .context import get_user_id, record_user
    from .formatters import ConsoleFormatter, JsonFormatter
    from .masking import Masker
    from .request_id import get_request_id, reset_request_id, set_request_id

NAMES = {
    "ConsoleFormatter": ".formatters",
    "JsonFormatter": ".formatters",
    "Masker": ".masking",
    "get_request_id": ".request_id",
    "get_user_id": ".context",
    "not_logged": ".access",
    "record_user": ".context",
    "reset_request_id": ".request_id",
    "set_request_id": ".request_id",
}
__all__ = sorted(NAMES)
__getattr__, __dir__ = facade(__name__, NAMES)
