"""Middleware for the error format: a disallowed Host on any path, the request size limit, errors from outside DRF."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from framework.conf import framework_settings
from framework.exceptions import DependencyError

from .problems import CONTENT_TYPE, is_api_request, problem, problem_response

logger = logging.getLogger("framework.api")
# Django's own logger for this case, which its handler would have used.
host_logger = logging.getLogger("django.security.DisallowedHost")

DISALLOWED_HOST = "This service does not answer to the Host header of this request (see ALLOWED_HOSTS)."

# Headers that still hold when an error response is rewritten.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# Those that describe the body being replaced.
DROPPED_HEADERS = ("Content-Disposition", "Content-Language", "Content-Encoding", "ETag", "Last-Modified")


class AllowedHostMiddleware:
    """Answer a request for a host not in ALLOWED_HOSTS with a 400 problem that says so, on every path.

    First after the request id and the access log: otherwise the first middleware that asks for the host
    raises, and Django answers its HTML 400 page (or, on an API path, a 400
    that does not say why).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost as error:
            host_logger.warning("%s", error, extra={"status_code": 400, "path": request.path})
            return problem_response(400, code="disallowed_host", detail=DISALLOWED_HOST)
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a body over MAX_REQUEST_BODY_SIZE with 413, from its Content-Length, before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = framework_settings.MAX_REQUEST_BODY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats a malformed length as no body
        if length > limit:
            detail = f"The request body is {length} bytes; the limit is {limit}."
            if is_api_request(request):
                return problem_response(413, detail=detail)
            return HttpResponse(detail, status=413, content_type="text/plain")
        return self.get_response(request)


class ProblemMiddleware:
    """Answer every error on an API path in the error format.

    DRF's views already do (see handlers.py); this covers the rest: an
    unknown URL, a method a plain view refuses, a CSRF failure, Django's
    500 page. A JSON error body a view wrote on purpose is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or not is_api_request(request):
            return response
        content_type = response.get("Content-Type", "")
        if content_type.startswith((CONTENT_TYPE, "application/json")):
            return response
        if response.streaming:
            replacement = problem_response(response.status_code)
            for header in KEPT_HEADERS:
                if header in response:
                    replacement[header] = response[header]
            return replacement
        # Rewritten in place, not replaced: Django has logged this response (an error's traceback
        # with it) and knows it by the object, so a new one would be logged a second time.
        response.content = json.dumps(problem(response.status_code))
        response["Content-Type"] = CONTENT_TYPE
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        for header in DROPPED_HEADERS:
            if header in response:
                del response[header]
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """Outages that reach past DRF's handler answer 503 "try again later", not 500: a plain view's
        database error, or a service down (the task broker) in an on_commit callback after the view returned.
        Another service's failure answers its own status (502, 503 or 504), as in DRF's views."""
        if not is_api_request(request):
            return None
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return problem_response(503)
        if isinstance(exception, DependencyError):
            logger.error("Dependency failed: %s", exception)
            response = problem_response(exception.api_status)
            if exception.retry_after:
                response["Retry-After"] = str(max(1, math.ceil(exception.retry_after)))
            return response
        return None
