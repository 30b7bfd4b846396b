"""Request metrics, written by the access log's middleware (framework.logging.access) from the one timing it takes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .metrics import requests
from .routes import route_label

#: Any other method is labelled "other": a client must not make new series at will.
METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))

# Each label set's counter and histogram, found by one dict lookup per request rather than prometheus-client's
# labels() (a lock, a conversion of each value); a race only makes the same objects twice.
_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def started() -> None:
    """A request has arrived: one more in flight."""
    requests().in_flight.inc()


def finished(request: HttpRequest, status: int, seconds: float) -> None:
    """A request has been answered with `status` after `seconds`: counted and timed."""
    method = request.method if request.method in METHODS else "other"
    key = (route_label(request), method, status)
    series = _series.get(key)
    if series is None:
        measured = requests()
        labels = (key[0], method, str(status))
        series = _series[key] = (measured.total.labels(*labels), measured.duration.labels(*labels))
    series[0].inc()
    series[1].observe(seconds)


def ended() -> None:
    """A request's handling is over, answered or not: one fewer in flight."""
    requests().in_flight.dec()
