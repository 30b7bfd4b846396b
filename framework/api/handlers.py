"""DRF's exception handler: every error raised in an API view, answered in the error format."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from framework.exceptions import DependencyError

from .exceptions import APIError, BadGateway, GatewayTimeout, PayloadTooLarge, ServiceUnavailable
from .problems import CONTENT_TYPE, field_errors, problem

logger = logging.getLogger("framework.api")

INVALID_REQUEST = _("The request has invalid fields; see `errors`.")

#: The API error each DependencyError.api_status answers with.
DEPENDENCY_ERRORS: dict[int, type[APIError]] = {502: BadGateway, 503: ServiceUnavailable, 504: GatewayTimeout}


def dependency_error(exc: DependencyError) -> APIError:
    """The API error `exc` answers with; its message (the service, its address) goes to the log only."""
    logger.error("Dependency failed: %s", exc)
    api_exception = DEPENDENCY_ERRORS.get(exc.api_status, BadGateway)()
    if exc.retry_after:
        api_exception.wait = exc.retry_after  # type: ignore[attr-defined] -- becomes Retry-After
    return api_exception


def _as_api_exception(exc: Exception) -> exceptions.APIException | None:
    """Django's own exceptions as the API exceptions they mean; None for an unexpected error."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database is down or unreachable: "try again later", not a bug; its DSN stays in the log.
        logger.error("Database unavailable: %s", exc, exc_info=exc)
        return ServiceUnavailable()
    if isinstance(exc, DependencyError):
        # Its message names the service (the task broker...): for the log, not for the caller.
        return dependency_error(exc)
    if isinstance(exc, SuspiciousOperation):
        # Its message may describe internals: it goes to the log, not to the caller.
        logger.warning("Suspicious request: %s", exc)
        return APIError()
    return None


def _body(exc: exceptions.APIException) -> dict[str, Any]:
    if isinstance(exc, exceptions.ValidationError):
        return problem(400, code="validation_error", detail=str(INVALID_REQUEST), errors=field_errors(exc.detail))
    detail, code = exc.detail, getattr(exc.detail, "code", None)
    if isinstance(detail, dict) and isinstance(detail.get("detail"), str):
        # simplejwt's errors: {"detail": ..., "code": ..., "messages": [...]}.
        detail, code = detail["detail"], detail.get("code")
    if not isinstance(detail, str):
        detail = exc.default_detail
    code = code or exc.default_code
    return problem(exc.status_code, code=code, detail=str(detail))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render `exc` as a problem with its status and code; leave an unexpected error to Django.

    Set as REST_FRAMEWORK["EXCEPTION_HANDLER"]. An unexpected error is not
    answered here: DRF raises it again, and Django handles it as it handles a
    plain view's, once (the `got_request_exception` signal, which error
    trackers such as Sentry's listen to, and the `django.request` log line
    with the traceback and the request id), rolls back the request's
    transaction, and answers its 500 page, which ProblemMiddleware turns into
    a problem without internals.
    """
    api_exception = _as_api_exception(exc)
    if api_exception is None:
        return None
    body, status, headers = _body(api_exception), api_exception.status_code, {}
    if auth_header := getattr(api_exception, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(api_exception, "wait", None):
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    set_rollback()
    request = context.get("request")
    if request is not None:
        # The error format is JSON whatever the client asked for: never an HTML page.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), CONTENT_TYPE
    return Response(body, status=status, headers=headers, content_type=CONTENT_TYPE)
