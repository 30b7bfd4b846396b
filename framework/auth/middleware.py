"""Django's authentication middleware, telling the request's log lines who the user is once it is loaded."""

from __future__ import annotations

from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from framework.logging.context import record_user

from .sessions import get_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's AuthenticationMiddleware: `request.user` is still loaded lazily, on first use (by
    framework.auth.sessions.get_user: Django's, the user read by a statement built once), and the
    user loaded is then recorded for the request's log lines (framework.logging)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: record_user(get_user(request)))
