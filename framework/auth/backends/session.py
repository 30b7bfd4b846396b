"""Session authentication: the browser's sign-in (the admin's, or the project's own), with CSRF."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request

from . import recorded


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication: a signed-in session, and a CSRF token on unsafe methods.

    It offers a `WWW-Authenticate` challenge so that, as the only backend,
    an anonymous call still gets 401 rather than 403.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return recorded(super().authenticate(request))

    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="api"'
