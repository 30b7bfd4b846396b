"""Traces of a generated project: `serve` and `runworker` export to a real OTLP/HTTP receiver on loopback.

One request that creates a note (its service enqueues the word count) makes one trace: the
request's span, continuing the caller's `traceparent`, its queries, the task's publish, and the
task's run in the worker, whose parents lead back to the request's span.
"""

from __future__ import annotations

import json
import secrets
import urllib.request

import pytest

from tests.e2e.conftest import manage
from tests.e2e.test_serve import serve
from tests.e2e.test_tasks import output, running
from tests.observability.receiver import otlp_receiver

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


def test_a_request_that_enqueues_a_task_is_one_trace_from_the_caller_to_the_worker(project, tmp_path):
    result = manage(
        project, "shell", "-c",
        f"from django.contrib.auth import get_user_model; get_user_model().objects.create_user('tracer', password={PASSWORD!r})",
    )
    assert result.returncode == 0, result.stderr
    caller_trace, caller_span = secrets.token_hex(16), secrets.token_hex(8)

    with otlp_receiver() as receiver:
        # Spans leave each process every 200 ms, not every 5 s, so that the test waits less.
        tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.url, "OTEL_BSP_SCHEDULE_DELAY": "200", "LOG_FORMAT": "json"}
        with running(project, "runworker", "--concurrency", "1", **tracing), serve(project, tmp_path, **tracing) as served:
            _, _, tokens = post(served.url + "/api/v1/auth/token/", {"username": "tracer", "password": PASSWORD})
            status, headers, note = post(
                served.url + "/api/v1/notes/", {"title": "traced", "body": "three words here"},
                Authorization=f"Bearer {tokens['access']}", traceparent=f"00-{caller_trace}-{caller_span}-01",
                **{"X-Request-ID": "traced-1"},
            )
            assert status == 201, note
            spans = receiver.wait_for(lambda spans: any(span.name == f"run/{TASK}" for span in spans))
            access = served.wait_for(lambda line: line.get("logger") == "framework.access" and line.get("request_id") == "traced-1")
            worker_log = output(project, "runworker")

    trace = [span for span in spans if span.trace_id == caller_trace]
    by_id = {span.span_id: span for span in trace}
    [request] = [span for span in trace if span.kind_name == "SERVER" and span.attributes.get("request_id") == "traced-1"]
    [publish] = [span for span in trace if span.name == f"apply_async/{TASK}"]
    [run] = [span for span in trace if span.name == f"run/{TASK}"]
    queries = [span for span in trace if span.attributes.get("db.system") == "sqlite" and request.span_id in ancestors(span, by_id)]

    assert request.parent_span_id == caller_span  # the incoming traceparent is honoured
    assert request.service == "mysite"
    assert queries, "no query span under the request's span"
    assert (publish.kind_name, run.kind_name) == ("PRODUCER", "CONSUMER")
    assert request.span_id in ancestors(publish, by_id)
    assert ancestors(run, by_id)[:1] == [publish.span_id] and request.span_id in ancestors(run, by_id)
    assert not [span for span in spans if span.trace_id != caller_trace and span.name.endswith(TASK)]
    # The access line carries the request span's ids next to the request id.
    assert (access["trace_id"], access["span_id"]) == (caller_trace, request.span_id)
    # And the worker's line about the task, the run span's.
    [ran] = [json.loads(line) for line in worker_log.splitlines() if line.startswith("{") and TASK in line and "succeeded" in line]
    assert (ran["trace_id"], ran["span_id"]) == (caller_trace, run.span_id), ran
