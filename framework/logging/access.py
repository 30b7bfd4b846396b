"""The access log: one line per request with method, path, status, duration, size, user and request id."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path

from framework.conf import framework_settings
from framework.observability import requests as request_metrics

from .context import InFlight, get_user_id, in_flight, reset_request, set_request
from .request_id import get_request_id

logger = logging.getLogger("framework.access")

View = TypeVar("View", bound=Callable[..., Any])


def not_logged(view: View) -> View:
    """Leave a view's successful requests out of the access log (health probes every few seconds)."""
    view.access_log = False  # type: ignore[attr-defined]
    return view


def _size(response: HttpResponse) -> int | None:
    if response.has_header("Content-Length"):
        return int(response["Content-Length"])
    if getattr(response, "streaming", False):
        return None  # not known before it is sent
    return len(response.content)


class AccessLogMiddleware:
    """Write the access line of each request, count it in the request metrics, and make it known to log lines meanwhile.

    Place it right after RequestIdMiddleware, so that every line carries
    the request id. Off with LOG_ACCESS=false (the request context stays).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        thread = threading.get_ident()
        # Percent-encoded again: a path decoded from `%0A` must not start a forged log line.
        path = escape_uri_path(request.path)
        in_flight[thread] = InFlight(get_request_id(), request.method or "", path)
        token = set_request(request)
        request_metrics.started()
        try:
            response = self.get_response(request)
            # One timing for the metrics and the log line.
            seconds = time.perf_counter() - started
            request_metrics.finished(request, response.status_code, seconds)
            if framework_settings.LOG_ACCESS:
                self.log(request, response, path, seconds)
            return response
        finally:
            request_metrics.ended()
            reset_request(token)
            in_flight.pop(thread, None)

    def log(self, request: HttpRequest, response: HttpResponse, path: str, seconds: float) -> None:
        match = getattr(request, "resolver_match", None)
        if response.status_code < 400 and match is not None and not getattr(match.func, "access_log", True):
            return
        duration = round(seconds * 1000, 1)
        size = _size(response)
        logger.info(
            "%s %s %s %.1fms %sB",
            request.method,
            path,
            response.status_code,
            duration,
            "-" if size is None else size,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration,
                "size": size,
                "user_id": get_user_id(),
            },
        )

