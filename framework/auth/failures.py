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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
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


def client_ident(request: HttpRequest) -> str:
    """The client's address, as the throttles name it (THROTTLE_TRUSTED_PROXIES decides which)."""
    return BaseThrottle().get_ident(request)


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate() -> tuple[int, int] | None:
    """THROTTLE_AUTH_FAILURE_RATE as (failures, seconds), or None when it is off."""
    rate = framework_settings.THROTTLE_AUTH_FAILURE_RATE
    if rate is None:
        return None
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0].lower()]


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
        key = KEY.format(ident=client_ident(request))
        count = count_in_window(cache, key, window, add=0)
        if count is not None and count.value >= limit:
            return self.refuse(request, count.seconds_left)
        response = self.get_response(request)
        if getattr(request, _FAILED, False) or (api and response.status_code == 401):
            count_in_window(cache, key, window)
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
