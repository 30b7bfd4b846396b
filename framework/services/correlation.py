"""What every call carries to tie it to the work that made it: the request id, and the trace context."""

from __future__ import annotations

from collections.abc import MutableMapping

from framework.logging.request_id import HEADER as REQUEST_ID_HEADER, get_request_id

try:  # OpenTelemetry is optional: with it installed, and tracing on, calls carry `traceparent`.
    from opentelemetry import propagate as _propagate
except ImportError:  # pragma: no cover -- depends on the install
    _propagate = None


def correlation_headers(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Add to `headers` the current request id (a request's, or the task's inside a task) and,
    when OpenTelemetry tracing is on, the W3C trace context (`traceparent`, `tracestate`)."""
    request_id = get_request_id()
    if request_id is not None:
        headers[REQUEST_ID_HEADER] = request_id
    if _propagate is not None:
        # With no tracer provider set up there is no current span, and nothing is added.
        _propagate.inject(headers)
    return headers
