"""The front doors: the API's index at /api/, and at the site's root a page of links in DEBUG only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from framework.health.runner import service

from .problems import problem_response

#: The API's versions, by the URL name of each one's root.
VERSIONS = {"v1": "api-root"}


def _url(request: HttpRequest, name: str) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name))
    except NoReverseMatch:
        return None  # a project that does not mount it


@login_not_required
@require_safe
def api_index(request: HttpRequest) -> JsonResponse:
    """Where the API's versions, its OpenAPI schema and its docs are, as absolute URLs; open to anyone."""
    return JsonResponse(
        {
            "versions": {version: _url(request, name) for version, name in VERSIONS.items()},
            "schema": _url(request, "schema"),
            "docs": _url(request, "swagger-ui"),
            "redoc": _url(request, "redoc"),
        }
    )


@login_not_required
@require_safe
def front_door(request: HttpRequest) -> HttpResponse:
    """In DEBUG, links to the API's docs, the admin and the health checks; otherwise a 404 problem.

    A production site shows nothing at its root: there is nothing to find
    there, and a page would tell a visitor what runs behind it.
    """
    if not settings.DEBUG:
        return problem_response(404)
    links = [
        ("API docs (Swagger UI)", _url(request, "swagger-ui")),
        ("API index", _url(request, "api-index")),
        ("API, version 1 (browsable)", _url(request, "api-root")),
        ("Admin", _url(request, "admin:index")),
        ("Readiness checks", _url(request, "health-ready")),
    ]
    context = {"service": service()["name"], "links": [(label, url) for label, url in links if url]}
    return render(request, "framework/front_door.html", context)
