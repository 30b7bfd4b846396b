"""The request id: taken from a well-formed `X-Request-ID`, or made anew, and returned on every response."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Bounded length and a plain charset: the id goes into headers and log lines as it is.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def get_request_id() -> str | None:
    """The id of the request being handled in this context, or None outside a request."""
    return _current.get()


def set_request_id(request_id: str | None) -> Token[str | None]:
    """Make `request_id` current in this context (a task run, a command); undo with reset_request_id."""
    return _current.set(request_id)


def reset_request_id(token: Token[str | None]) -> None:
    _current.reset(token)


def accept_or_generate(candidate: str | None) -> str:
    if candidate and WELL_FORMED.fullmatch(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Give every request an id (`request.id`), available to logs, error bodies and tasks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = accept_or_generate(request.headers.get(HEADER))
        token = set_request_id(request.id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response[HEADER] = request.id
        return response
