"""Failed authentication, throttled per client address before the view runs: guessing keys, tokens or passwords meets 429.

DRF's throttles run after authentication, and only when it succeeds: a wrong API
key, a forged token or no credentials at all is answered 401 before any throttle
counts it. This middleware counts those answers per client address, and the
failed sign-ins Django signals (`user_login_failed`: the admin's login form, the
token endpoint, basic authentication), in the cache the throttles share. Once an
address has failed THROTTLE_AUTH_FAILURE_RATE times in the window, its API requests
and its form posts (a sign-in) are answered 429 with `Retry-After`, before they are
authenticated, so that the right guess is refused as well, until the window ends.
A request that authenticates adds nothing to the count.

Reading the count costs a cache read per request (a round trip, on Redis). For
the API's reads, most of its traffic, that read is made once a second, not per
request: each process remembers, for RECHECK_AFTER from the read, the
credentials an API GET (HEAD, OPTIONS) was let through with from an address and
did not fail with, and a read from that address with the same credentials (the
same Authorization or X-API-Key header, the same session cookie, or none of
them) is let through without reading the count again. Everything else is read
as before: credentials not let through from that address yet (a guess, the
right one included), any write (the token endpoint's password is in the body),
a form post, and any request from an address once this process counted a
failure from it. So a guess is never let through unread; a client whose
credentials already worked keeps working, on a process that has not seen its
address fail since, for at most RECHECK_AFTER after another process throttled
the address.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.throttling import BaseThrottle

from framework.api.problems import is_api_request, problem_response
from framework.cache.counters import count_in_window
from framework.conf import framework_settings

TOO_MANY_FAILURES = _("Too many failed attempts to authenticate from this address; try again in {seconds} seconds.")
KEY = "framework:auth-failures:{ident}"
# Set on the request when Django signals a failed sign-in during it.
_FAILED = "_framework_authentication_failed"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Seconds a process trusts that an address's credentials, once let through without failing, still may be.
RECHECK_AFTER = 1.0
# Addresses remembered per process at most; past it, all are forgotten (they are read again, nothing more).
_MAX_REMEMBERED = 10_000


def client_ident(request: HttpRequest) -> str:
    """The client's address, as the throttles name it (THROTTLE_TRUSTED_PROXIES decides which)."""
    return BaseThrottle().get_ident(request)


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate() -> tuple[int, int] | None:
    """THROTTLE_AUTH_FAILURE_RATE as (failures, seconds), or None when it is off."""
    return _parse_rate(framework_settings.THROTTLE_AUTH_FAILURE_RATE)


@lru_cache(maxsize=8)
def _parse_rate(rate: str | None) -> tuple[int, int] | None:
    if rate is None:
        return None
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0].lower()]


class _LetThrough:
    """This process's memory of the credentials let through from each address, and until when it holds."""

    def __init__(self) -> None:
        self.by_ident: dict[str, dict[tuple[Any, ...], float]] = {}

    def holds(self, ident: str, credentials: tuple[Any, ...]) -> bool:
        until = self.by_ident.get(ident, {}).get(credentials)
        return until is not None and until > time.monotonic()

    def remember(self, ident: str, credentials: tuple[Any, ...]) -> None:
        if ident not in self.by_ident and len(self.by_ident) >= _MAX_REMEMBERED:
            self.by_ident.clear()
        self.by_ident.setdefault(ident, {})[credentials] = time.monotonic() + RECHECK_AFTER

    def forget(self, ident: str | None = None) -> None:
        if ident is None:
            self.by_ident.clear()
        else:
            self.by_ident.pop(ident, None)


let_through = _LetThrough()


def _credentials(request: HttpRequest) -> tuple[Any, ...]:
    """What a request authenticates with, as far as this middleware tells requests apart."""
    return (
        request.META.get("HTTP_AUTHORIZATION"),
        request.META.get("HTTP_X_API_KEY"),
        request.COOKIES.get(settings.SESSION_COOKIE_NAME),
    )


class FailedAuthenticationThrottleMiddleware:
    """Refuse, with 429, requests from an address that failed to authenticate too often; count its failures."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rate = _rate()
        api = is_api_request(request)
        if rate is None or not (api or request.method not in _SAFE_METHODS):
            return self.get_response(request)
        limit, window = rate
        ident = client_ident(request)
        # Only an API read's credentials are remembered: a write may carry a password in its body
        # (the token endpoint's), and a form post is a sign-in; those are always read.
        credentials = _credentials(request) if api and request.method in _SAFE_METHODS else None
        read = credentials is None or not let_through.holds(ident, credentials)
        if read:
            count = count_in_window(cache, KEY.format(ident=ident), window, add=0)
            if count is not None and count.value >= limit:
                return self.refuse(request, count.seconds_left)
        response = self.get_response(request)
        if getattr(request, _FAILED, False) or (api and response.status_code == 401):
            let_through.forget(ident)
            count_in_window(cache, KEY.format(ident=ident), window)
        elif read and credentials is not None:
            # Remembered from the read on, not from the last use: read again RECHECK_AFTER later.
            let_through.remember(ident, credentials)
        return response

    @staticmethod
    def refuse(request: HttpRequest, seconds_left: float) -> HttpResponse:
        seconds = max(1, math.ceil(seconds_left))
        detail = str(TOO_MANY_FAILURES).format(seconds=seconds)
        if is_api_request(request):
            response = problem_response(429, detail=detail)
        else:
            response = HttpResponse(detail, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(seconds)
        return response


@receiver(user_login_failed, dispatch_uid="framework.auth.failures.mark")
def _mark_failed(sender: Any, credentials: Any = None, request: Any = None, **kwargs: Any) -> None:
    # DRF passes its Request, which wraps Django's: the middleware sees Django's.
    request = getattr(request, "_request", request)
    if request is not None:
        setattr(request, _FAILED, True)


def _forget_on_change(*, setting: str, **kwargs: Any) -> None:
    # A test that changes the rate or the cache starts with nothing remembered.
    if setting in ("FRAMEWORK", "CACHES"):
        let_through.forget()


setting_changed.connect(_forget_on_change, dispatch_uid="framework.auth.failures.forget")
