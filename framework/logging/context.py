"""What a log line knows about the request being handled: its id, its user, and the requests in flight."""

from __future__ import annotations

import logging
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from django.http import HttpRequest

from framework.observability.tracing import current_ids

from .request_id import get_request_id

User = TypeVar("User")


@dataclass
class RequestContext:
    """What the log lines of the request being handled know: its user, once authentication made it known.

    It holds no reference to the request: it is the value of a weak mapping keyed by the
    request, and a value that refers to its key keeps the key alive for ever (each request,
    with everything it refers to, would stay in memory).
    """

    user_id: Any = None


_current: ContextVar[RequestContext | None] = ContextVar("request_context", default=None)
# Django logs a request's error response once the middleware has returned: its
# record names the request, whose context is found here.
_by_request: WeakKeyDictionary[HttpRequest, RequestContext] = WeakKeyDictionary()


@dataclass
class InFlight:
    """A request being handled by a thread, for the log line of a worker killed mid-request."""

    request_id: str | None
    method: str
    path: str
    started: float = field(default_factory=time.monotonic)


#: Thread id -> the request it is handling. Read by the server's worker_abort hook.
in_flight: dict[int, InFlight] = {}


def set_request(request: HttpRequest | None) -> Token[RequestContext | None]:
    """Make `request` the one being handled in this context; undo with reset_request."""
    context = None
    if request is not None:
        context = _by_request[request] = RequestContext()
    return _current.set(context)


def reset_request(token: Token[RequestContext | None]) -> None:
    _current.reset(token)


def record_user(user: User) -> User:
    """Make `user` known as the user of the request being handled, for its log lines; return it.

    The framework's authentication calls it once it has the user (its DRF
    backends, its AuthenticationMiddleware when Django's lazy user is loaded);
    a project's own authentication class may too. A log line never loads the
    user itself: until one of these ran, the user is not known.
    """
    context = _current.get()
    if context is not None:
        context.user_id = user.pk if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    return user


def get_user_id(request: HttpRequest | None = None) -> Any:
    """The primary key of the authenticated user of `request` (default: the current one), once known; else None."""
    context = _current.get() if request is None else _by_request.get(request)
    return context.user_id if context is not None else None


class RequestContextFilter(logging.Filter):
    """Adds `request_id` and `user_id` to every record (unless given in `extra=`), and the current span's
    `trace_id` and `span_id` when there is one; never drops one."""

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
        # With tracing on, inside a request's or a task's span: its ids (lines outside one have none).
        if getattr(record, "trace_id", None) is None and (ids := current_ids()) is not None:
            record.trace_id, record.span_id = ids
        return True
