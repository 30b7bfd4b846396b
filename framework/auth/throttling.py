"""Throttles: anonymous callers by address, signed-in callers by user or API key, the token endpoint by address.

Counts live in the default cache; rates come from THROTTLE_*_RATE.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request


class AnonRateThrottle(throttling.AnonRateThrottle):
    """THROTTLE_ANON_RATE, per client address (THROTTLE_TRUSTED_PROXIES decides which address)."""


class UserRateThrottle(throttling.UserRateThrottle):
    """THROTTLE_USER_RATE, per API key when the request carries one, else per user."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        from .models import APIKey

        if isinstance(request.auth, APIKey):
            ident = f"key-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # AnonRateThrottle's
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """THROTTLE_TOKEN_RATE, per client address: password attempts on the token endpoint."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
