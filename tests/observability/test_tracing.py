"""Tracing's settings, the trace ids in log lines, the sampler, and the warning when the OTLP endpoint is down.

Spans here come from a tracer provider of the test's own: the process-wide one is never set,
so the rest of the suite runs as a project without tracing does.
"""

from __future__ import annotations

import io
import json
import logging
import sys

import pytest
from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.sampling import Decision

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import BUILTIN_SCHEMAS
from framework.conf.schemas.tracing import INSTALL, TracingSettings, traces_endpoint
from framework.logging.context import RequestContextFilter
from framework.logging.formatters import ConsoleFormatter, JsonFormatter
from framework.logging.request_id import reset_request_id, set_request_id
from framework.observability import tracing
from framework.observability.checks import TRACING_MIDDLEWARE, check_outermost_middleware
from framework.observability.export import WarningExporter
from framework.testing.ports import free_port
from tests.observability.receiver import otlp_receiver
from tests.tasks.test_enqueue import messages, redis_queue  # noqa: F401 -- the fixture

BASE = {"SECRET_KEY": "django-insecure-test", "DEBUG": "true"}
ENDPOINT = "http://otel-collector:4318"


def problems_of(environ):
    with pytest.raises(SettingsError) as caught:
        load(BUILTIN_SCHEMAS, Environment(None, environ=environ))
    return {problem.variable: problem for problem in caught.value.problems}


def loaded(environ) -> TracingSettings:
    return load([TracingSettings], Environment(None, environ=environ))[TracingSettings]


@pytest.fixture
def tracer():
    return TracerProvider().get_tracer("tests")


# Settings


def test_tracing_is_off_without_otel_variables():
    assert not loaded({}).enabled()


@pytest.mark.parametrize(
    "environ",
    [{"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT}, {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ENDPOINT + "/v1/traces"},
     {"OTEL_TRACES_EXPORTER": "otlp"}],
)
def test_an_endpoint_or_an_exporter_turns_tracing_on(environ):
    assert loaded(environ).enabled()


@pytest.mark.parametrize("environ", [{"OTEL_TRACES_EXPORTER": "none"}, {"OTEL_SDK_DISABLED": "true"}])
def test_none_or_disabled_keep_it_off_with_an_endpoint(environ):
    assert not loaded({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, **environ}).enabled()


def test_the_base_endpoint_gets_the_traces_path_and_the_traces_endpoint_is_used_as_it_is():
    assert traces_endpoint(loaded({"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT + "/"}).model_dump()) == ENDPOINT + "/v1/traces"
    full = {"OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces.example.com/in"}
    assert traces_endpoint(loaded(full).model_dump()) == "https://traces.example.com/in"


@pytest.mark.parametrize(("endpoint", "said"), [
    ("otel-collector:4318", "is not an http(s) URL"), ("grpc://otel-collector:4317", "is not an http(s) URL"),
    ("http://", "has no host"), ("http://host:port", "has a port that is not a number"),
])
def test_a_malformed_endpoint_is_reported_with_the_other_problems(endpoint, said):
    problems = problems_of({**BASE, "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint, "WEB_THREADS": "many"})

    assert set(problems) == {"OTEL_EXPORTER_OTLP_ENDPOINT", "WEB_THREADS"}
    assert problems["OTEL_EXPORTER_OTLP_ENDPOINT"].value == endpoint
    assert problems["OTEL_EXPORTER_OTLP_ENDPOINT"].message.startswith(said)


def test_grpc_and_headers_that_are_not_key_value_are_problems_and_the_headers_stay_masked():
    problems = problems_of({**BASE, "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_HEADERS": "team=core,s3cr3t"})

    assert "http/protobuf" in problems["OTEL_EXPORTER_OTLP_PROTOCOL"].message
    assert problems["OTEL_EXPORTER_OTLP_HEADERS"].message.startswith("entry 2 is not key=value")
    assert "s3cr3t" not in str(problems["OTEL_EXPORTER_OTLP_HEADERS"])


def not_installed(monkeypatch):
    """As if the tracing extra were not installed: its modules cannot be imported."""
    for name in ("opentelemetry.sdk.trace", "opentelemetry.exporter.otlp.proto.http.trace_exporter"):
        monkeypatch.setitem(sys.modules, name, None)


def test_an_endpoint_without_the_tracing_extra_is_one_problem_naming_the_install(monkeypatch):
    not_installed(monkeypatch)

    problems = problems_of({**BASE, "OTEL_EXPORTER_OTLP_ENDPOINT": ENDPOINT})

    assert list(problems) == ["OTEL_EXPORTER_OTLP_ENDPOINT"]
    assert INSTALL in problems["OTEL_EXPORTER_OTLP_ENDPOINT"].message == (
        "turns tracing on, but OpenTelemetry's packages are not installed: pip install 'framework[tracing]' "
        "(or unset it to run without traces)"
    )


def test_without_the_extra_and_without_otel_variables_the_settings_load(monkeypatch):
    not_installed(monkeypatch)

    assert not load(BUILTIN_SCHEMAS, Environment(None, environ=BASE))[TracingSettings].enabled()


def test_with_tracing_off_setup_does_nothing():
    assert tracing.setup() is False
    assert trace.get_tracer_provider().__class__.__name__ == "ProxyTracerProvider"


def test_the_tracing_middleware_ahead_of_the_request_id_is_no_warning(settings):
    settings.MIDDLEWARE = [TRACING_MIDDLEWARE, *settings.MIDDLEWARE]

    assert check_outermost_middleware() == []


# Log lines


@pytest.fixture(params=["json", "console"])
def written(request):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if request.param == "json" else ConsoleFormatter(colors=False))
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger(f"tests.tracing.{request.param}")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield request.param, logger, stream
    logger.removeHandler(handler)


def test_a_line_inside_a_span_carries_its_ids_next_to_the_request_id(written, tracer):
    kind, logger, stream = written
    token = set_request_id("req-1")
    try:
        with tracer.start_as_current_span("GET /notes/") as span:
            logger.info("inside", extra={"note": 7})
    finally:
        reset_request_id(token)
    ids = format(span.get_span_context().trace_id, "032x"), format(span.get_span_context().span_id, "016x")

    line = stream.getvalue().strip()
    if kind == "json":
        document = json.loads(line)
        assert list(document)[4:] == ["request_id", "user_id", "trace_id", "span_id", "note"]
        assert (document["trace_id"], document["span_id"]) == ids
    else:
        assert f"[req-1 trace={ids[0]} span={ids[1]}] inside note=7" in line


def test_a_line_outside_any_span_has_no_trace_ids(written):
    kind, logger, stream = written

    logger.info("outside")

    assert "trace" not in stream.getvalue()


# Sampling


@pytest.mark.parametrize(("kind", "recorded"), [
    (trace.SpanKind.SERVER, True), (trace.SpanKind.CONSUMER, True), (trace.SpanKind.PRODUCER, True),
    (trace.SpanKind.CLIENT, False), (trace.SpanKind.INTERNAL, False),
])
def test_only_a_request_or_a_task_starts_a_trace(kind, recorded):
    result = tracing._sampler().should_sample(None, 1234, "span", kind)

    assert (result.decision is Decision.RECORD_AND_SAMPLE) is recorded


def test_a_query_inside_a_request_is_recorded(tracer):
    with tracer.start_as_current_span("GET /notes/", kind=trace.SpanKind.SERVER):
        result = tracing._sampler().should_sample(None, 1234, "SELECT", trace.SpanKind.CLIENT)

    assert result.decision is Decision.RECORD_AND_SAMPLE


def test_a_task_published_later_continues_the_trace_that_sent_it(tracer):
    with tracer.start_as_current_span("POST /notes/") as request_span:
        headers: dict[str, str] = {}
        propagate.inject(headers)

    with tracing.continued(headers):
        current = trace.get_current_span().get_span_context()

    assert (current.trace_id, current.span_id) == (request_span.get_span_context().trace_id, request_span.get_span_context().span_id)
    assert not trace.get_current_span().get_span_context().is_valid


# The OTLP endpoint down


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ended_spans(tracer, count):
    spans = []
    for index in range(count):
        span = tracer.start_span(f"span {index}")
        span.end()
        spans.append(span)
    return spans


def test_an_unreachable_endpoint_gives_one_warning_per_interval_not_one_per_batch(tracer, caplog):
    endpoint = f"http://127.0.0.1:{free_port()}/v1/traces"  # nothing listens there
    clock = Clock()
    exporter = WarningExporter(OTLPSpanExporter(endpoint=endpoint, timeout=0.5), endpoint=endpoint, interval=60, clock=clock)
    caplog.set_level(logging.DEBUG)
    try:
        exporter.export(ended_spans(tracer, 3))
        exporter.export(ended_spans(tracer, 2))
        clock.now += 30
        exporter.export(ended_spans(tracer, 1))
        first = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
        clock.now += 31
        exporter.export(ended_spans(tracer, 4))
        both = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    finally:
        exporter.shutdown()

    [warning] = first
    assert warning.startswith(f"Traces: 3 span(s) dropped: the OTLP endpoint {endpoint} did not take them (")
    assert "repeats at most every 60 s" in warning
    assert both[1].startswith("Traces: 7 span(s) dropped")  # the 3 since the first warning, and these 4
    assert len(both) == 2


def test_a_reachable_endpoint_takes_the_spans_without_a_warning(tracer, caplog):
    with otlp_receiver() as receiver:
        endpoint = receiver.url + "/v1/traces"
        exporter = WarningExporter(OTLPSpanExporter(endpoint=endpoint, timeout=5), endpoint=endpoint)
        exporter.export(ended_spans(tracer, 2))
        exporter.shutdown()

    assert [span.name for span in receiver.spans] == ["span 0", "span 1"]
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.mark.django_db(transaction=True)
def test_a_task_the_relay_publishes_later_is_published_in_the_trace_that_sent_it(redis_queue, tracer):
    from celery import signals
    from django.db import transaction

    from framework.tasks import outbox

    publishing = []

    def record(**kwargs):
        publishing.append(trace.get_current_span().get_span_context())

    signals.before_task_publish.connect(record, weak=False)
    outbox._pause(redis_queue)  # as after a failed publish: the commit leaves the row to the relay
    try:
        with tracer.start_as_current_span("POST /notes/") as request_span, transaction.atomic():
            redis_queue.tasks["framework.tasks.ping"].delay()
        assert publishing == []
        assert outbox.relay(redis_queue) == 1  # later, outside any span
    finally:
        signals.before_task_publish.disconnect(record)
        outbox._paused_until.clear()

    sent = request_span.get_span_context()
    assert [(context.trace_id, context.span_id) for context in publishing] == [(sent.trace_id, sent.span_id)]
    [message] = messages(redis_queue)
    assert message["headers"]["traceparent"].startswith(f"00-{sent.trace_id:032x}-{sent.span_id:016x}-")


# Outbound calls


@pytest.fixture
def echo_service():
    """A real HTTP service on loopback that answers each GET with the headers it got, declared as `echo`."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from framework.services.config import ServiceConfig
    from framework.services.registry import registry

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 -- http.server's name
            body = json.dumps(dict(self.headers)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    registry.overrides["echo"] = ServiceConfig(name="echo", url=f"http://127.0.0.1:{server.server_address[1]}", retries=0)
    registry.reset()
    try:
        yield "echo"
    finally:
        registry.overrides.pop("echo", None)
        registry.reset()
        server.shutdown()
        server.server_close()


def test_an_outbound_call_is_a_span_of_its_own_whose_context_the_service_gets(echo_service):
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from framework.services import service

    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)  # as tracing.setup() does, with this provider
    try:
        with provider.get_tracer("tests").start_as_current_span("GET /reports/", kind=trace.SpanKind.SERVER) as request_span:
            received = service(echo_service).get("/notes/").json()
    finally:
        HTTPXClientInstrumentor().uninstrument()

    [call] = [span for span in exported.get_finished_spans() if span.kind is trace.SpanKind.CLIENT]
    assert call.parent.span_id == request_span.get_span_context().span_id
    headers = {name.lower(): value for name, value in received.items()}
    _, trace_id, parent_id, _ = headers["traceparent"].split("-")
    assert (trace_id, parent_id) == (f"{call.context.trace_id:032x}", f"{call.context.span_id:016x}")
    assert call.attributes.get("http.response.status_code", call.attributes.get("http.status_code")) == 200
