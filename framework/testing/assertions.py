"""Assertions on API responses in the framework's formats, each failing with the response body."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

from framework.api.problems import CONTENT_TYPE as PROBLEM_CONTENT_TYPE

__all__ = ["assert_field_error", "assert_page", "assert_problem"]


def _body(response: HttpResponse) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _shown(response: HttpResponse) -> str:
    """The response as a failure message shows it: status, content type and body."""
    content = response.content.decode("utf-8", "replace")
    if len(content) > 2000:
        content = content[:2000] + "..."
    return f"{response.status_code} {response.get('Content-Type', '')}\n{content}"


def _fail(message: str, response: HttpResponse) -> None:
    __tracebackhide__ = True
    raise AssertionError(f"{message}\nresponse: {_shown(response)}")


def assert_problem(response: HttpResponse, status: int | None = None, code: str | None = None) -> dict[str, Any]:
    """The response is an error in the problem format, with `status` and `code` when given; returns its body."""
    __tracebackhide__ = True
    if not response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
        _fail(f"expected a problem ({PROBLEM_CONTENT_TYPE})", response)
    body = _body(response)
    if not isinstance(body, dict):
        _fail("the problem body is not a JSON object", response)
    if status is not None and (response.status_code, body.get("status")) != (status, status):
        _fail(f"expected status {status}", response)
    if code is not None and body.get("code") != code:
        _fail(f"expected code {code!r}, got {body.get('code')!r}", response)
    if body.get("request_id") != response.get("X-Request-ID"):
        _fail("the problem's request_id differs from the X-Request-ID header", response)
    return body


def assert_field_error(response: HttpResponse, field: str, code: str | None = None) -> dict[str, Any]:
    """The response is a 400 validation problem with an error on `field` (a dotted path); returns that error."""
    __tracebackhide__ = True
    body = assert_problem(response, 400, "validation_error")
    errors = [error for error in body.get("errors", []) if error.get("field") == field]
    if not errors:
        fields = sorted({error.get("field") for error in body.get("errors", [])})
        _fail(f"expected an error on {field!r}; the errors are on {fields}", response)
    if code is not None:
        for error in errors:
            if error.get("code") == code:
                return error
        _fail(f"expected code {code!r} on {field!r}, got {[e.get('code') for e in errors]}", response)
    return errors[0]


def assert_page(response: HttpResponse, count: int | None = None, status: int = 200) -> list[Any]:
    """The response is a page of a list (count, next, previous, results); returns its results."""
    __tracebackhide__ = True
    if response.status_code != status:
        _fail(f"expected status {status}", response)
    body = _body(response)
    if not isinstance(body, dict) or not {"count", "next", "previous", "results"} <= body.keys():
        _fail("expected a page envelope with count, next, previous and results", response)
    if count is not None and body["count"] != count:
        _fail(f"expected count {count}, got {body['count']}", response)
    return body["results"]
