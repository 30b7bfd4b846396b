"""What every call carries to tie it to the work that made it: the request id, and the trace context."""

from __future__ import annotations

from collections.abc import MutableMapping

from framework.logging.request_id import HEADER as REQUEST_ID_HEADER, get_request_id
from framework.observability import tracing


def correlation_headers(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Add to `headers` the current request id (a request's, or the task's inside a task) and,
    when OpenTelemetry tracing is on, the W3C trace context (`traceparent`, `tracestate`)."""
    request_id = get_request_id()
    if request_id is not None:
        headers[REQUEST_ID_HEADER] = request_id
    # Tracing off, or outside a span: nothing is added. With it on, httpx's instrumentation
    # replaces it with the context of the call's own span, a child of the current one.
    tracing.inject(headers)
    return headers
