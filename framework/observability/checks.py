"""System checks on observability: the middleware that must see every request first."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

OUTERMOST = ("framework.logging.request_id.RequestIdMiddleware", "framework.logging.access.AccessLogMiddleware")
#: OpenTelemetry's Django instrumentation puts its middleware first, with tracing on: the request's
#: span then covers the request id and the access line, which carry its ids.
TRACING_MIDDLEWARE = "opentelemetry.instrumentation.django.middleware.otel_middleware._DjangoMiddleware"

W001 = (
    "MIDDLEWARE does not start with {expected}: responses that middleware before them answers itself "
    "(the HTTPS redirect, static files, CORS preflights, a middleware's error) get no request id and no access line."
)
W001_HINT = "Put RequestIdMiddleware, then AccessLogMiddleware, first in MIDDLEWARE (the framework's default order)."


@register()
def check_outermost_middleware(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.observability.W001: the request id and access log are not the outermost middleware."""
    middleware = [name for name in getattr(settings, "MIDDLEWARE", []) if name != TRACING_MIDDLEWARE]
    present = [name for name in middleware if name in OUTERMOST]
    if not present or tuple(middleware[: len(present)]) == OUTERMOST[: len(present)]:
        return []
    return [Warning(W001.format(expected=", ".join(OUTERMOST)), hint=W001_HINT, id="framework.observability.W001")]
