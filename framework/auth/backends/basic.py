"""HTTP basic authentication: a username and password on every request.

Off by default: it runs the password hasher (slow on purpose) on every
request, and sends the password each time.
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request

from . import recorded


class BasicAuthentication(authentication.BasicAuthentication):
    www_authenticate_realm = "api"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return recorded(super().authenticate(request))
