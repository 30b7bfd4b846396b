"""Traces of a generated project: `serve` and `runworker` export to a real OTLP/HTTP receiver on loopback.

On PostgreSQL and Redis (the cache and the broker), one request that creates a note (its service
enqueues the word count) makes one trace: the request's span, continuing the caller's
`traceparent`, its queries, the task's publish with its Redis calls, and the task's run in the
worker, whose parents lead back to the request's span. Nothing else is sent: no probe, no poll.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import urllib.request

import pytest

from framework.testing.ports import free_port
from tests.e2e.conftest import manage
from tests.e2e.test_serve import create_database, serve
from tests.e2e.test_tasks import output, running
from tests.observability.receiver import otlp_receiver
from tests.services import delete_keys, key_prefix, postgres_url, redis_url, require

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
TASK = "notes.tasks.count_words"


def post(url: str, data: dict, **headers: str) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(data).encode(), headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), json.loads(response.read())


def ancestors(span, by_id) -> list[str]:
    """The ids of the spans above `span`, nearest first, as far as they were received."""
    found = []
    while span.parent_span_id in by_id:
        span = by_id[span.parent_span_id]
        found.append(span.span_id)
    return found


@pytest.fixture(scope="module")
def environ(project):
    """PostgreSQL (migrated, with a user) and Redis, for the cache and the broker."""
    require("PostgreSQL", "127.0.0.1", 5432)
    database_url = postgres_url("traces")
    create_database(database_url)
    environ = {"DATABASE_URL": database_url, "REDIS_URL": redis_url(), "CACHE_KEY_PREFIX": key_prefix("e2e-traces")}
    create_user = (
        "from django.contrib.auth import get_user_model; User = get_user_model(); "
        f"User.objects.filter(username='tracer').exists() or User.objects.create_user('tracer', password={PASSWORD!r})"
    )
    for args in (["migrate", "--noinput"], ["shell", "-c", create_user]):
        result = manage(project, *args, **environ)
        assert result.returncode == 0, result.stdout + result.stderr
    yield environ
    delete_keys(environ["REDIS_URL"], f"{environ['CACHE_KEY_PREFIX']}:*")


def test_a_request_that_enqueues_a_task_is_one_trace_from_the_caller_to_the_worker(project, environ, tmp_path):
    caller_trace, caller_span = secrets.token_hex(16), secrets.token_hex(8)

    with otlp_receiver() as receiver:
        # Spans leave each process every 200 ms, not every 5 s, so that the test waits less.
        tracing = {
            **environ, "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_BSP_SCHEDULE_DELAY": "200", "LOG_FORMAT": "json",
        }
        with running(project, "runworker", "--concurrency", "1", **tracing), serve(project, tmp_path, **tracing) as served:
            assert served.get("/health/ready/")[0] == 200  # a probe: no span
            _, _, tokens = post(
                served.url + "/api/v1/auth/token/", {"username": "tracer", "password": PASSWORD}, **{"X-Request-ID": "token-1"}
            )
            status, headers, note = post(
                served.url + "/api/v1/notes/", {"title": "traced", "body": "three words here"},
                Authorization=f"Bearer {tokens['access']}", traceparent=f"00-{caller_trace}-{caller_span}-01",
                **{"X-Request-ID": "traced-1"},
            )
            assert status == 201, note
            # Each process sends its own spans, in its own time: the run's may come before the request's.
            spans = receiver.wait_for(lambda spans: {f"run/{TASK}", "traced-1", "token-1"} <= {
                span.attributes.get("request_id", span.name) for span in spans
            })
            access = served.wait_for(lambda line: line.get("logger") == "framework.access" and line.get("request_id") == "traced-1")
            worker_log = output(project, "runworker")
            served_log = served.log.read_text()

    trace = [span for span in spans if span.trace_id == caller_trace]
    by_id = {span.span_id: span for span in trace}
    [token_request] = [span for span in spans if span.attributes.get("request_id") == "token-1"]
    [request] = [span for span in trace if span.kind_name == "SERVER" and span.attributes.get("request_id") == "traced-1"]
    [publish] = [span for span in trace if span.name == f"apply_async/{TASK}"]
    [run] = [span for span in trace if span.name == f"run/{TASK}"]
    queries = [span for span in trace if span.attributes.get("db.system") == "postgresql" and request.span_id in ancestors(span, by_id)]
    redis_calls = [span for span in trace if span.attributes.get("db.system") == "redis" and publish.span_id in ancestors(span, by_id)]

    assert request.parent_span_id == caller_span  # the incoming traceparent is honoured
    assert request.service == "mysite"
    assert queries, "no query span under the request's span"
    assert redis_calls, "no Redis call under the task's publish"
    assert (publish.kind_name, run.kind_name) == ("PRODUCER", "CONSUMER")
    assert request.span_id in ancestors(publish, by_id)
    assert ancestors(run, by_id)[:1] == [publish.span_id] and request.span_id in ancestors(run, by_id)
    # The token request is a trace of its own; nothing else came: no probe, no broker or outbox poll.
    assert {span.trace_id for span in spans} - {caller_trace} == {token_request.trace_id}
    # The access line carries the request span's ids next to the request id.
    assert (access["trace_id"], access["span_id"]) == (caller_trace, request.span_id)
    # With tracing on too, `serve` writes structured lines only (no SDK or instrumentation warnings).
    assert [line for line in served_log.splitlines() if not line.startswith("{")] == []
    # And the worker's line about the task, the run span's.
    [ran] = [json.loads(line) for line in worker_log.splitlines() if line.startswith("{") and TASK in line and "succeeded" in line]
    assert (ran["trace_id"], ran["span_id"]) == (caller_trace, run.span_id), ran


def test_with_the_collector_down_requests_are_served_and_one_warning_says_spans_are_dropped(project, environ, tmp_path):
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    tracing = {
        **environ, "OTEL_EXPORTER_OTLP_ENDPOINT": down, "OTEL_BSP_SCHEDULE_DELAY": "100",
        "OTEL_EXPORTER_OTLP_TIMEOUT": "0.5", "LOG_FORMAT": "json",
    }
    with serve(project, tmp_path, **tracing) as served:
        statuses = []
        for attempt in range(5):
            statuses.append(served.get("/api/v1/notes/")[0])
            served.wait_for(lambda line: line.get("logger") == "framework.tracing", timeout=10) if attempt == 0 else time.sleep(0.3)
        lines = served.lines()

    assert statuses == [401] * 5  # answered as usual (no credentials)
    [warning] = [line for line in lines if line.get("logger") == "framework.tracing"]
    assert warning["level"] == "WARNING"
    assert re.match(rf"Traces: \d+ span\(s\) dropped: the OTLP endpoint {down}/v1/traces did not take them \(", warning["message"])
    assert not [line for line in lines if line.get("logger", "").startswith("opentelemetry")]


def test_a_command_sends_its_spans_when_it_exits(project):
    with otlp_receiver() as receiver:
        # The default export interval (5 s) is longer than the command: its spans go at exit.
        result = manage(project, "shell", "-c", "from framework.tasks import ping; ping.delay()", OTEL_EXPORTER_OTLP_ENDPOINT=receiver.url)
        assert result.returncode == 0, result.stderr
        [publish] = receiver.wait_for(lambda spans: len(spans) > 0, timeout=5)

    assert (publish.name, publish.kind_name) == ("apply_async/framework.tasks.ping", "PRODUCER")
    assert publish.parent_span_id == ""
