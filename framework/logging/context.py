"""What a log line knows about the request being handled: its id, its user, and the requests in flight."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import LazyObject, empty

from .request_id import get_request_id

_request: ContextVar[HttpRequest | None] = ContextVar("request", default=None)


@dataclass
class InFlight:
    """A request being handled by a thread, for the log line of a worker killed mid-request."""

    request_id: str | None
    method: str
    path: str
    started: float = field(default_factory=time.monotonic)


#: Thread id -> the request it is handling. Read by the server's worker_abort hook.
in_flight: dict[int, InFlight] = {}


def set_request(request: HttpRequest | None) -> Token[HttpRequest | None]:
    return _request.set(request)


def reset_request(token: Token[HttpRequest | None]) -> None:
    _request.reset(token)


def get_user_id(request: HttpRequest | None = None) -> Any:
    """The primary key of the authenticated user of `request` (default: the current one), once known; else None.

    Never loads the user: until authentication ran (Django's lazy
    `request.user` not yet evaluated, DRF's authenticators not yet called),
    the user is not known, and a log line must not cost a database query.
    """
    request = request if request is not None else _request.get()
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (unless given in `extra=`); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a request's error response (django.request) once the middleware has
        # returned, outside the request's context, but with the request in `extra=`.
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = None
        if getattr(record, "request_id", None) is None:
            record.request_id = get_request_id() or getattr(request, "id", None)
        if getattr(record, "user_id", None) is None:
            record.user_id = get_user_id(request)
        return True
