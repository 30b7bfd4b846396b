"""Middleware for API paths: the request size limit, and the error format for errors from outside DRF."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from framework.conf import framework_settings
from framework.exceptions import DependencyUnavailable

from .problems import CONTENT_TYPE, is_api_request, problem, problem_response

logger = logging.getLogger("framework.api")

# Headers that still hold when an error response is rewritten.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")
# Those that describe the body being replaced.
DROPPED_HEADERS = ("Content-Disposition", "Content-Language", "Content-Encoding", "ETag", "Last-Modified")


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
        database error, or a service down (the task broker) in an on_commit callback after the view returned."""
        if not is_api_request(request):
            return None
        if isinstance(exception, (OperationalError, InterfaceError)):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
        elif isinstance(exception, DependencyUnavailable):
            logger.error("Dependency unavailable: %s", exception)
        else:
            return None
        return problem_response(503)
