"""Spans sent to an OTLP endpoint that may be down: one warning per interval, never a flood.

OpenTelemetry's OTLP/HTTP exporter (checked against opentelemetry-exporter-otlp-proto-http
1.45) logs each retry of each batch as a warning and each batch given up as an error, and
its batch processor a warning whenever its queue is full: with the collector down, a busy
service would write lines by the hundred. Those records are held back here; WarningExporter
says instead, at most once per interval, how many spans were dropped and the last reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

logger = logging.getLogger("framework.tracing")

#: Seconds between two warnings about dropped spans.
INTERVAL = 60.0
#: The loggers of the exporter and of the batch processor.
SDK_LOGGERS = ("opentelemetry.exporter.otlp.proto.http.trace_exporter", "opentelemetry.sdk._shared_internal")
DROPPED = (
    "Traces: %d span(s) dropped: the OTLP endpoint %s did not take them (%s). The service goes on; "
    "this warning repeats at most every %d s while spans are dropped."
)
GAVE_UP = "Failed to export spans batch due to timeout"
NO_ANSWER = "no answer within OTEL_EXPORTER_OTLP_TIMEOUT, retries included"
QUEUE_FULL = "; more were dropped while the export queue was full"
RECOVERED = "Traces: the OTLP endpoint %s takes spans again."


class _HeldBack(logging.Filter):
    """Keeps the SDK's export failures out of the logs, remembering the last one for the warning."""

    def __init__(self) -> None:
        super().__init__()
        self.last_reason: str | None = None
        self.queue_full = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        message = record.getMessage()
        if message.startswith("Queue full"):
            self.queue_full = True
        elif not message.startswith(GAVE_UP):
            self.last_reason = message  # a retry's line names the error (connection refused...), a refusal the status
        elif self.last_reason is None:
            self.last_reason = NO_ANSWER  # gave up before any retry said why
        return False


class WarningExporter(SpanExporter):
    """`exporter`, with failed exports counted and warned about once per `interval` seconds."""

    def __init__(
        self, exporter: SpanExporter, *, endpoint: str, interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._exporter, self._endpoint, self._interval, self._clock = exporter, endpoint, interval, clock
        self._lock = threading.Lock()
        self._dropped = 0
        self._next_warning = 0.0
        self._failing = False
        self._held_back = _HeldBack()
        for name in SDK_LOGGERS:
            logging.getLogger(name).addFilter(self._held_back)

    def export(self, spans: Sequence[Any]) -> SpanExportResult:
        result = self._exporter.export(spans)
        if result is SpanExportResult.SUCCESS:
            if self._failing:
                self._failing = False
                logger.info(RECOVERED, self._endpoint)
            return result
        with self._lock:
            self._failing = True
            self._dropped += len(spans)
            now = self._clock()
            if now >= self._next_warning:
                reason = self._held_back.last_reason or NO_ANSWER
                if self._held_back.queue_full:
                    reason += QUEUE_FULL
                logger.warning(DROPPED, self._dropped, self._endpoint, reason, self._interval)
                self._dropped, self._held_back.queue_full, self._held_back.last_reason = 0, False, None
                self._next_warning = now + self._interval
        return result

    def shutdown(self) -> None:
        self._exporter.shutdown()
        for name in SDK_LOGGERS:
            logging.getLogger(name).removeFilter(self._held_back)

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self._exporter.force_flush(timeout_millis)
