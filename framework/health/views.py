"""The health endpoints: plain Django views, outside the API's authentication, permissions and throttling."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from framework.logging.access import not_logged

from . import runner


def _quiet(request: HttpRequest) -> bool:
    return request.GET.get("verbose", "").lower() in ("false", "0", "no", "off")


@not_logged
@login_not_required
@never_cache
@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    """200 while the process answers; touches no database, cache or broker."""
    return JsonResponse(runner.report())


@not_logged
@login_not_required
@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    """200 when every check passes (warnings allowed), 503 when one errs; `?verbose=false`: versions only."""
    if _quiet(request):
        return JsonResponse(runner.report())
    results = runner.run()
    body = runner.report(results)
    return JsonResponse(body, status=503 if body["status"] == runner.ERROR else 200)
