"""The one error format: RFC 9457 Problem Details, with a machine `code`, the request id and field errors."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from rest_framework.settings import api_settings

from framework.conf import framework_settings
from framework.logging.request_id import get_request_id

CONTENT_TYPE = "application/problem+json"

#: The code of each status when no more specific one is known. Python 3.13 renamed some statuses'
#: phrases (414 "URI Too Long"): those are listed too, so that a code is the same on every Python.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    414: "request_uri_too_long",
    415: "unsupported_media_type",
    416: "requested_range_not_satisfiable",
    422: "unprocessable_entity",
    429: "throttled",
    500: "server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def status_code_name(status: int) -> str:
    return STATUS_CODES.get(status) or HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")


def field_errors(detail: Any, path: str | None = None) -> list[dict[str, Any]]:
    """DRF's nested validation detail flattened to `{field, code, message}`, fields as dotted paths."""
    if isinstance(detail, dict):
        errors = []
        for key, value in detail.items():
            field = None if key == api_settings.NON_FIELD_ERRORS_KEY and path is None else str(key)
            errors += field_errors(value, field if path is None else f"{path}.{key}")
        return errors
    if isinstance(detail, list):
        errors = []
        for index, item in enumerate(detail):
            # A list of messages belongs to `path`; a list of objects indexes into it.
            nested = path if not isinstance(item, (dict, list)) else f"{path}.{index}" if path else str(index)
            errors += field_errors(item, nested)
        return errors
    return [{"field": path, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def problem(status: int, *, code: str | None = None, detail: str | None = None, errors: list | None = None) -> dict[str, Any]:
    """The body of an error response."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
        "code": code or status_code_name(status),
        "request_id": get_request_id(),
    }
    if errors is not None:
        body["errors"] = errors
    return body


def problem_response(status: int, **kwargs: Any) -> HttpResponse:
    """A plain Django response in the error format, for errors outside DRF's views."""
    return HttpResponse(json.dumps(problem(status, **kwargs)), status=status, content_type=CONTENT_TYPE)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(framework_settings.API_PATH_PREFIX)
