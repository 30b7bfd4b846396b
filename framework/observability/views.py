"""`/metrics`: the service's metrics in the Prometheus text format, to the addresses or the token of the settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from framework.api.problems import problem_response
from framework.logging.access import not_logged

from .access import refusal
from .exposition import render

ALLOWED = ("GET", "HEAD")


@not_logged
@login_not_required
@never_cache
@csrf_exempt
def metrics(request: HttpRequest) -> HttpResponse:
    """200 with the metrics of every process of `serve`; 403 in the error format to others than those the settings let in."""
    if request.method not in ALLOWED:
        response = problem_response(405, detail=f"{request.method} is not allowed here; use GET or HEAD.")
        response["Allow"] = ", ".join(ALLOWED)
        return response
    reason = refusal(request.META.get("REMOTE_ADDR"), request.headers.get("Authorization"))
    if reason is not None:
        return problem_response(403, detail=reason)
    body, content_type = render(request.headers.get("Accept"))
    return HttpResponse(body, content_type=content_type)
