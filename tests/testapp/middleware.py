"""Middleware for the logging tests: one that fails, placed before the rest of the stack."""

from django.http import HttpRequest, HttpResponse


class FailingMiddleware:
    """Raises on requests with an `X-Fail` header, as a broken middleware of a project would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "X-Fail" in request.headers:
            raise RuntimeError("the middleware failed")
        return self.get_response(request)
