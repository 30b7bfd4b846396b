"""Traces: OpenTelemetry's SDK and instrumentations, set up from the tracing settings.

Off until the settings turn it on (framework.conf.schemas.tracing); then, at
app ready, every process gets one tracer provider and OpenTelemetry's own
instrumentations: Django (a span per request, the incoming `traceparent`
honoured), psycopg and sqlite3 (a span per query), Redis (the cache's calls),
Celery (a span per task publish and per task run, the run a child of the
publish through the message's headers) and httpx (the calls of
framework.services, `traceparent` passed on).

Spans are exported by a batch processor, whose thread does not survive a fork:
`manage.py serve` (gunicorn, maybe with its app preloaded) and `runworker`
(Celery's prefork pool) fork their workers after the app is ready. So the
processor is made in each process that ends a span, for that process only:
gunicorn's post_fork hook and Celery's worker_process_init start it at once,
any other process (runserver, shell, a command) at its first span.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from framework.conf import framework_settings
from framework.conf.schemas.tracing import parse_key_values, traces_endpoint, tracing_enabled

logger = logging.getLogger("framework.tracing")

# The tracing extra; without it, tracing stays off (the settings say so when it is asked for).
# OpenTelemetry's API alone (a dependency of another package, or a project's own set-up) still
# carries the current span's context on calls and tasks.
try:
    from opentelemetry import context as otel_context, propagate, trace
except ImportError:  # pragma: no cover -- depends on the install
    otel_context = propagate = trace = None  # type: ignore[assignment]
try:
    from opentelemetry.sdk.trace import SpanProcessor
except ImportError:  # pragma: no cover -- depends on the install
    SpanProcessor = None  # type: ignore[assignment,misc]

#: Spans that start a trace of their own: a request served, a task sent or run.
#: Queries, cache and HTTP calls outside one (a worker polling its broker, the outbox
#: relay's polls) would each be a trace of one span: they are not recorded.
_ENTRY_KINDS = ("SERVER", "CONSUMER", "PRODUCER")

#: Requests that get no span: the probes and the scrapes, each every few seconds (regular expressions).
EXCLUDED_PATHS = r"/health/,/metrics\b"

_lock = threading.Lock()
_provider: Any = None


def enabled() -> bool:
    """Whether the settings turn tracing on."""
    return tracing_enabled({key: getattr(framework_settings, key) for key in _SETTINGS})


_SETTINGS = ("OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def service_name() -> str:
    return (
        framework_settings.OTEL_SERVICE_NAME
        or framework_settings.SERVICE_NAME
        or settings.ROOT_URLCONF.partition(".")[0]
    )


def setup() -> bool:
    """Set tracing up in this process, once, if the settings turn it on; whether it is on."""
    global _provider
    if SpanProcessor is None or not enabled():
        return False
    with _lock:
        if _provider is None:
            _provider = _make_provider()
            trace.set_tracer_provider(_provider)
            _instrument(_provider)
    return True


def start_in_this_process() -> None:
    """Start exporting from this process now (after a fork), rather than at its first span."""
    if _provider is not None:
        _processor.start()


def current_ids() -> tuple[str, str] | None:
    """The ids of the current span, as in a `traceparent` (32 and 16 hex digits), or None outside one."""
    if trace is None:
        return None
    span_context = trace.get_current_span().get_span_context()
    if not span_context.is_valid:
        return None
    return format(span_context.trace_id, "032x"), format(span_context.span_id, "016x")


def inject(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Add the current trace context (W3C `traceparent`, `tracestate`) to `headers`; nothing outside a span.

    A span of OpenTelemetry set up by the project itself counts too.
    """
    if propagate is not None:
        propagate.inject(headers)
    return headers


@contextmanager
def continued(headers: Any) -> Iterator[None]:
    """Make the trace context `headers` carry (as `inject` wrote them) current inside the block.

    The outbox publishes a task later than it was sent, maybe from another process:
    its publish span still belongs to the trace of the request that sent it.
    """
    if propagate is None or not headers:
        yield
        return
    token = otel_context.attach(propagate.extract(dict(headers)))
    try:
        yield
    finally:
        otel_context.detach(token)


def _sampler() -> Any:
    from opentelemetry.sdk.trace import sampling

    ratio = framework_settings.OTEL_TRACES_SAMPLER_ARG
    configured = {
        "always_on": lambda: sampling.ALWAYS_ON,
        "always_off": lambda: sampling.ALWAYS_OFF,
        "traceidratio": lambda: sampling.TraceIdRatioBased(ratio),
        "parentbased_always_on": lambda: sampling.ParentBased(sampling.ALWAYS_ON),
        "parentbased_always_off": lambda: sampling.ParentBased(sampling.ALWAYS_OFF),
        "parentbased_traceidratio": lambda: sampling.ParentBasedTraceIdRatio(ratio),
    }[framework_settings.OTEL_TRACES_SAMPLER]()

    class WorkSampler(sampling.Sampler):
        """The configured sampler, for spans of a request or task; no trace starts at a lone query or call."""

        def should_sample(
            self, parent_context: Any, trace_id: int, name: str, kind: Any = None, attributes: Any = None,
            links: Any = None, trace_state: Any = None,
        ) -> Any:
            parent = trace.get_current_span(parent_context).get_span_context()
            if not parent.is_valid and (kind is None or kind.name not in _ENTRY_KINDS):
                return sampling.SamplingResult(sampling.Decision.DROP)
            return configured.should_sample(parent_context, trace_id, name, kind, attributes, links, trace_state)

        def get_description(self) -> str:
            return f"WorkSampler{{{configured.get_description()}}}"

    return WorkSampler()


def _make_provider() -> Any:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    attributes = parse_key_values(framework_settings.OTEL_RESOURCE_ATTRIBUTES)
    attributes["service.name"] = service_name()
    if framework_settings.SERVICE_VERSION:
        attributes.setdefault("service.version", framework_settings.SERVICE_VERSION)
    provider = TracerProvider(resource=Resource.create(attributes), sampler=_sampler())
    provider.add_span_processor(_processor)
    return provider


def _make_processor() -> Any:
    """This process's batch processor and exporter, from the settings."""
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

    from .export import WarningExporter

    if framework_settings.OTEL_TRACES_EXPORTER == "console":
        exporter: Any = ConsoleSpanExporter(service_name=service_name())
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = traces_endpoint({key: getattr(framework_settings, key) for key in _SETTINGS})
        exporter = WarningExporter(
            OTLPSpanExporter(
                endpoint=endpoint,
                headers=parse_key_values(framework_settings.OTEL_EXPORTER_OTLP_HEADERS),
                timeout=framework_settings.OTEL_EXPORTER_OTLP_TIMEOUT,
            ),
            endpoint=endpoint,
        )
    return BatchSpanProcessor(exporter, schedule_delay_millis=framework_settings.OTEL_BSP_SCHEDULE_DELAY)


class ProcessSpanProcessor(SpanProcessor or object):  # type: ignore[misc]
    """A span processor that makes the real one (`make()`) in each process, the first time it is needed there.

    One made before a fork is never used after it: each process has its own thread and connections.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._processor: Any = None

    def start(self) -> Any:
        """This process's processor, made now if it is not yet."""
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._processor, self._pid = self._make(), os.getpid()
        return self._processor

    def _own(self) -> Any:
        return self._processor if self._pid == os.getpid() else None

    def on_start(self, span: Any, parent_context: Any = None) -> None:
        pass  # the batch processor does nothing then either

    def on_end(self, span: Any) -> None:
        self.start().on_end(span)

    def shutdown(self) -> None:
        if (processor := self._own()) is not None:
            processor.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        processor = self._own()
        return True if processor is None else processor.force_flush(timeout_millis)


_processor = ProcessSpanProcessor(_make_processor)


def _record_request_id(span: Any, request: Any, response: Any) -> None:
    # The link between a trace and the access line: RequestIdMiddleware, inside the span, gave the id.
    request_id = getattr(request, "id", None)
    if request_id is not None and span.is_recording():
        span.set_attribute("request_id", request_id)


def _instrument(provider: Any) -> None:
    from celery import signals
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.redis import RedisInstrumentor
    from opentelemetry.instrumentation.sqlite3 import SQLite3Instrumentor

    # Outermost in MIDDLEWARE: the request id and the access line are inside the request's span.
    DjangoInstrumentor().instrument(
        tracer_provider=provider, excluded_urls=EXCLUDED_PATHS, response_hook=_record_request_id
    )
    SQLite3Instrumentor().instrument(tracer_provider=provider)
    try:
        from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    except ImportError:  # psycopg is the postgres extra's
        pass
    else:
        PsycopgInstrumentor().instrument(tracer_provider=provider, skip_dep_check=True)
    RedisInstrumentor().instrument(tracer_provider=provider)
    CeleryInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    signals.worker_process_init.connect(_start_in_worker_process, weak=False)


def _start_in_worker_process(**kwargs: Any) -> None:
    start_in_this_process()
