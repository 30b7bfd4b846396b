"""The client: answers, typed errors, which calls are retried, the budget, the breaker, correlation and the log line."""

import asyncio
import logging

import pytest
from django.test import override_settings

from framework.logging.request_id import reset_request_id, set_request_id
from framework.services import (
    RemoteClientError,
    RemoteServerError,
    ServiceNotDeclared,
    ServiceTimeout,
    ServiceUnavailable,
    async_service,
    service,
)
from framework.testing.services import UnexpectedCall

FAST = {"retry_backoff": 0}


def test_a_json_answer_is_decoded(fake_service):
    fake_service("notes").get("/notes/", json=[{"id": 1}])

    response = service("notes").get("/notes/")

    assert response.status_code == 200
    assert response.json() == [{"id": 1}]


def test_paths_are_relative_to_the_service_url(fake_service):
    notes = fake_service("notes", url="http://notes.internal/api/v1")
    notes.get("/notes/", json=[])

    service("notes").get("/notes/", params={"page": 2})

    assert notes.calls[0].path == "/notes/"
    assert notes.calls[0].query == {"page": ["2"]}


def test_a_problem_answer_is_raised_with_what_it_says(fake_service):
    fake_service("notes").post(
        "/notes/",
        status=400,
        problem={
            "code": "validation_error",
            "detail": "The request has invalid fields; see `errors`.",
            "errors": [{"field": "title", "code": "required", "message": "This field is required."}],
            "request_id": "remote-17",
        },
    )

    with pytest.raises(RemoteClientError) as caught:
        service("notes").post("/notes/", json={})

    error = caught.value
    assert (error.status, error.code, error.remote_request_id) == (400, "validation_error", "remote-17")
    assert error.errors == [{"field": "title", "code": "required", "message": "This field is required."}]
    assert error.api_status == 502
    assert "remote request id remote-17" in str(error)


def test_a_5xx_answer_is_a_remote_server_error_not_retried_when_500(fake_service):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/", status=500, content="boom", headers={"X-Request-ID": "r-1"})

    with pytest.raises(RemoteServerError) as caught:
        service("notes").get("/notes/")

    assert (caught.value.status, caught.value.remote_request_id, caught.value.api_status) == (500, "r-1", 502)
    assert len(notes.calls) == 1


def test_an_answer_that_is_not_json_is_a_remote_server_error_naming_its_type(fake_service):
    fake_service("notes").get("/notes/", content="<html>", headers={"Content-Type": "text/html"})

    with pytest.raises(RemoteServerError) as caught:
        service("notes").get("/notes/").json()

    assert "answered 200 with text/html, not JSON" in str(caught.value)


def test_a_get_is_retried_on_503_until_it_succeeds(fake_service):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/", status=503)
    notes.get("/notes/", status=503)
    notes.get("/notes/", json=[])

    assert service("notes").get("/notes/").json() == []
    assert len(notes.calls) == 3


def test_retries_stop_at_the_configured_count(fake_service):
    notes = fake_service("notes", retries=2, **FAST)
    notes.get("/notes/", status=503)

    with pytest.raises(RemoteServerError) as caught:
        service("notes").get("/notes/")

    assert len(notes.calls) == 3
    assert caught.value.api_status == 503


def test_a_post_is_not_retried(fake_service):
    notes = fake_service("notes", **FAST)
    notes.post("/notes/", status=503)

    with pytest.raises(RemoteServerError):
        service("notes").post("/notes/", json={"title": "a"})

    assert len(notes.calls) == 1


def test_a_post_with_an_idempotency_key_is_retried_and_sends_it(fake_service):
    notes = fake_service("notes", **FAST)
    notes.post("/notes/", error="connect")
    notes.post("/notes/", status=201, json={"id": 1})

    response = service("notes").post("/notes/", json={"title": "a"}, idempotency_key="note-a")

    assert response.status_code == 201
    assert [call.headers["Idempotency-Key"] for call in notes.calls] == ["note-a", "note-a"]
    assert notes.calls[1].json == {"title": "a"}


def test_a_4xx_is_never_retried(fake_service):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/1/", status=404, problem={"code": "not_found"})

    with pytest.raises(RemoteClientError):
        service("notes").get("/notes/1/")

    assert len(notes.calls) == 1


def test_429_is_retried_after_what_retry_after_asks(fake_service):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/", status=429, headers={"Retry-After": "0"})
    notes.get("/notes/", json=[])

    assert service("notes").get("/notes/").json() == []
    assert len(notes.calls) == 2


def test_a_retry_after_past_the_budget_is_not_waited_for(fake_service):
    notes = fake_service("notes", total_timeout=1, **FAST)
    notes.get("/notes/", status=429, headers={"Retry-After": "5"})

    with pytest.raises(RemoteClientError) as caught:
        service("notes").get("/notes/")

    assert len(notes.calls) == 1
    assert caught.value.api_status == 503


def test_an_unreachable_service_is_retried_then_unavailable(fake_service):
    notes = fake_service("notes", retries=1, **FAST)
    notes.get("/notes/", error="connect")

    with pytest.raises(ServiceUnavailable) as caught:
        service("notes").get("/notes/")

    assert len(notes.calls) == 2
    assert not isinstance(caught.value, ServiceTimeout)
    assert caught.value.api_status == 503


def test_a_post_that_could_not_connect_is_not_retried(fake_service):
    notes = fake_service("notes", **FAST)
    notes.post("/notes/", error="connect")

    with pytest.raises(ServiceUnavailable):
        service("notes").post("/notes/")

    assert len(notes.calls) == 1


def test_a_slow_answer_times_out(fake_service):
    notes = fake_service("notes", read_timeout=0.02, retries=0)
    notes.get("/notes/", delay=5)

    with pytest.raises(ServiceTimeout) as caught:
        service("notes").get("/notes/")

    assert caught.value.api_status == 504
    assert "ReadTimeout" in str(caught.value)


def test_the_budget_bounds_all_attempts_together(fake_service):
    # Ten retries allowed, each attempt up to 0.05 s, but 0.12 s for them all: three attempts at most.
    notes = fake_service("notes", read_timeout=0.05, total_timeout=0.12, retries=10, **FAST)
    notes.get("/notes/", delay=5)

    with pytest.raises(ServiceTimeout):
        service("notes").get("/notes/")

    assert 2 <= len(notes.calls) <= 3


def test_the_breaker_opens_after_repeated_failures_and_calls_then_fail_at_once(fake_service):
    notes = fake_service("notes", retries=0, breaker_failures=2, **FAST)
    notes.get("/notes/", status=502)
    for _ in range(2):
        with pytest.raises(RemoteServerError):
            service("notes").get("/notes/")

    with pytest.raises(ServiceUnavailable) as caught:
        service("notes").get("/notes/")

    assert len(notes.calls) == 2  # the third call was not made
    assert "circuit breaker is open" in str(caught.value)
    assert 0 < caught.value.retry_after <= 30


def test_a_call_that_opens_the_breaker_ends_with_its_own_error(fake_service):
    notes = fake_service("notes", retries=5, breaker_failures=2, read_timeout=0.01, **FAST)
    notes.get("/notes/", delay=1)

    with pytest.raises(ServiceTimeout):
        service("notes").get("/notes/")

    assert len(notes.calls) == 2  # no retry into the open breaker


def test_a_4xx_does_not_count_against_the_breaker(fake_service):
    notes = fake_service("notes", breaker_failures=1)
    notes.get("/notes/1/", status=404)
    for _ in range(3):
        with pytest.raises(RemoteClientError):
            service("notes").get("/notes/1/")

    assert len(notes.calls) == 3


def test_calls_carry_the_request_id_and_the_credentials(fake_service):
    notes = fake_service("notes", token="s3cret-token")
    notes.get("/notes/", json=[])
    token = set_request_id("req-42")
    try:
        service("notes").get("/notes/")
    finally:
        reset_request_id(token)

    headers = notes.calls[0].headers
    assert headers["X-Request-ID"] == "req-42"
    assert headers["Authorization"] == "Bearer s3cret-token"


def test_an_api_key_is_sent_as_x_api_key(fake_service):
    notes = fake_service("notes", api_key="k3y")
    notes.get("/notes/", json=[])

    service("notes").get("/notes/")

    assert notes.calls[0].headers["X-API-Key"] == "k3y"
    assert "authorization" not in notes.calls[0].headers


def test_each_call_is_logged_once_with_its_attempts_and_secrets_masked(fake_service, caplog):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/", status=503)
    notes.get("/notes/", json=[])
    caplog.set_level(logging.INFO, logger="framework.services")

    service("notes").get("/notes/", params={"token": "s3cret"})

    [record] = [record for record in caplog.records if record.name == "framework.services"]
    assert (record.service, record.method, record.path, record.status, record.attempts) == ("notes", "GET", "/notes/", 200, 2)
    assert record.duration_ms >= 0
    assert record.getMessage().startswith("notes GET /notes/ 200 in ")


def test_a_query_in_the_path_is_logged_masked(fake_service, caplog):
    fake_service("notes").get("/notes/", json=[])
    caplog.set_level(logging.INFO, logger="framework.services")

    service("notes").get("/notes/?api_key=s3cret")

    assert "s3cret" not in caplog.text


def test_a_service_that_is_not_declared_is_named_with_the_declared_ones():
    with override_settings(FRAMEWORK={"SERVICES": {"billing": {"URL": "https://billing.internal"}}}):
        with pytest.raises(ServiceNotDeclared) as caught:
            service("notes")

    assert "no service named 'notes' is declared (declared: billing)" in str(caught.value)
    assert "SERVICE_NOTES_URL" in str(caught.value)


def test_a_declared_service_reads_its_settings_from_framework_services(fake_service):
    with override_settings(FRAMEWORK={"SERVICES": {"notes": {"URL": "https://notes.internal/v2", "RETRIES": 0}}}):
        notes = fake_service("notes")
        notes.get("/notes/", status=503)
        with pytest.raises(RemoteServerError):
            service("notes").get("/notes/")

    assert len(notes.calls) == 1


def test_a_full_url_is_refused(fake_service):
    fake_service("notes")

    with pytest.raises(ValueError, match="is not a path"):
        service("notes").get("https://elsewhere.example/")


def test_a_call_to_an_undeclared_route_names_it(fake_service):
    notes = fake_service("notes")
    notes.get("/notes/", json=[])

    with pytest.raises(UnexpectedCall) as caught:
        service("notes").delete("/notes/1/")

    assert str(caught.value) == (
        "fake service 'notes' has no route DELETE /notes/1/ (routes: GET /notes/); declare it with fake.route(...)"
    )
    notes.unexpected.clear()  # seen: the fixture would fail the test otherwise


def test_the_async_client_follows_the_same_rules(fake_service):
    notes = fake_service("notes", **FAST)
    notes.get("/notes/", status=503)
    notes.get("/notes/", json=[{"id": 1}])
    notes.post("/notes/", status=503)

    async def calls():
        client = async_service("notes")
        listed = (await client.get("/notes/")).json()
        with pytest.raises(RemoteServerError):
            await client.post("/notes/", json={})
        return listed

    assert asyncio.run(calls()) == [{"id": 1}]
    assert [call.method for call in notes.calls] == ["GET", "GET", "POST"]


def test_calls_carry_the_trace_context_when_tracing_is_on(fake_service):
    sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="OpenTelemetry's SDK is not installed")
    notes = fake_service("notes")
    notes.get("/notes/", json=[])
    tracer = sdk.TracerProvider().get_tracer("tests")

    with tracer.start_as_current_span("caller") as span:
        service("notes").get("/notes/")

    version, trace_id, parent_id, _flags = notes.calls[0].headers["traceparent"].split("-")
    context = span.get_span_context()
    assert (version, trace_id, parent_id) == ("00", f"{context.trace_id:032x}", f"{context.span_id:016x}")


def test_without_a_current_span_no_trace_context_is_sent(fake_service):
    notes = fake_service("notes")
    notes.get("/notes/", json=[])

    service("notes").get("/notes/")

    assert "traceparent" not in notes.calls[0].headers
