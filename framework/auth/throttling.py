"""Throttles: anonymous callers by address, signed-in callers by user or API key, the token endpoint by address.

Counts live in the default cache; rates come from THROTTLE_*_RATE. Every throttle
here counts through RateThrottle, so that the limit holds across processes and hosts.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling
from rest_framework.request import Request

from framework.cache.counters import WindowCount, count_in_window


class RateThrottle(throttling.SimpleRateThrottle):
    """At most N requests per period for each caller that `get_cache_key()` names, counted atomically in the cache.

    Subclasses declare what DRF's SimpleRateThrottle asks for: `scope` (its rate
    from DEFAULT_THROTTLE_RATES) or `rate` ("30/minute"), and `get_cache_key(request,
    view)`, which returns the key of the caller counted, or None not to throttle.

    - The period is a fixed window started by the caller's first request; a request
      is let through while the count, this one included, is within N. `Retry-After`
      tells the seconds left in the window.
    - Each request adds to the count and reads it in one step: with a Redis cache
      (REDIS_URL or CACHE_URL), one round trip shared by every process of every
      instance, so parallel requests cannot slip past the limit. With the
      local-memory cache the count is per process (check framework.auth.W001).
    - While the cache cannot be reached, requests are let through: an outage of
      the cache does not take the API down (the cache logs it).

    `hit(key)` adds one request to a count and `peek(key)` reads it without adding,
    for throttles that count only some requests (failed sign-ins, say).
    """

    count: WindowCount | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.count = self.hit(self.key)
        if self.count is None or self.count.value <= self.num_requests:
            return True
        return self.throttle_failure()

    def hit(self, key: str) -> WindowCount | None:
        """Count one more request under `key`; the count so far (None if the cache cannot be reached)."""
        return count_in_window(self.cache, key, self.duration)

    def peek(self, key: str) -> WindowCount | None:
        """The count under `key`, without adding to it (None if the cache cannot be reached)."""
        return count_in_window(self.cache, key, self.duration, add=0)

    def wait(self) -> float | None:
        """Seconds until the window ends and the caller may send requests again."""
        return self.count.seconds_left if self.count is not None else None


class AnonRateThrottle(RateThrottle, throttling.AnonRateThrottle):
    """THROTTLE_ANON_RATE, per client address (THROTTLE_TRUSTED_PROXIES decides which address)."""


class UserRateThrottle(RateThrottle, throttling.UserRateThrottle):
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


class TokenRateThrottle(RateThrottle):
    """THROTTLE_TOKEN_RATE, per client address: password attempts on the token endpoint."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
