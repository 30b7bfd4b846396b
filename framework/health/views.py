"""The health endpoints: plain Django views, outside the API's authentication, permissions and throttling."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from framework.api.problems import problem_response
from framework.logging.access import not_logged

from . import runner

ALLOWED = ("GET", "HEAD")


def _quiet(request: HttpRequest) -> bool:
    return request.GET.get("verbose", "").lower() in ("false", "0", "no", "off")


def _get_or_head(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """Any other method is a 405 in the error format, never Django's CSRF page or an empty HTML 405."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ALLOWED:
            response = problem_response(405, detail=f"{request.method} is not allowed here; use GET or HEAD.")
            response["Allow"] = ", ".join(ALLOWED)
            return response
        return view(request, *args, **kwargs)

    # Nothing here changes state: a POST is refused above, not by the CSRF check.
    return csrf_exempt(checked)


@not_logged
@login_not_required
@never_cache
@_get_or_head
def liveness(request: HttpRequest) -> JsonResponse:
    """200 while the process answers; touches no database, cache or broker."""
    return JsonResponse(runner.report())


@not_logged
@login_not_required
@never_cache
@_get_or_head
def readiness(request: HttpRequest) -> JsonResponse:
    """200 when every check passes (warnings allowed), 503 when one errs; `?verbose=false` leaves each check's details out."""
    results = runner.run()
    body = runner.report(results, show_checks=not _quiet(request))
    return JsonResponse(body, status=503 if body["status"] == runner.ERROR else 200)
