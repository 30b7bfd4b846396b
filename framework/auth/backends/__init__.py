"""The authentication backends, one module each; API_AUTHENTICATION names them (see framework.conf.schemas.auth.BACKENDS).

Each records the user it authenticates for the request's log lines (framework.logging.record_user).
"""

from __future__ import annotations

from typing import Any

from framework.logging.context import record_user


def recorded(result: tuple[Any, Any] | None) -> tuple[Any, Any] | None:
    """A DRF `authenticate()` result, its user recorded as the request's for its log lines."""
    if result is not None:
        record_user(result[0])
    return result
