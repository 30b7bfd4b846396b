"""A service's failure, unhandled in a view, answers 502, 503 or 504 in the error format, without its internals."""

import logging

import pytest

from framework.services.breaker import OPEN

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("answer", "status", "code"),
    [
        ({"status": 500, "content": "Traceback: secret internals"}, 502, "bad_gateway"),
        ({"status": 404, "problem": {"detail": "no such notes list"}}, 502, "bad_gateway"),
        ({"status": 503}, 503, "service_unavailable"),
        ({"error": "connect"}, 503, "service_unavailable"),
        ({"delay": 5}, 504, "gateway_timeout"),
    ],
)
def test_an_api_view_answers_the_documented_problem(fake_service, client, caplog, answer, status, code):
    fake_service("notes", retries=0, read_timeout=0.02).get("/notes/", **answer)

    response = client.get("/api/test/remote-notes/", HTTP_X_REQUEST_ID="caller-1")

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["code"], body["request_id"]) == (status, code, "caller-1")
    assert "internals" not in response.content.decode() and "no such notes" not in response.content.decode()
    assert any(record.name == "framework.api" and "notes: GET /notes/" in record.getMessage() for record in caplog.records)


def test_the_remote_request_id_is_in_the_log(fake_service, client, caplog):
    fake_service("notes").get("/notes/", status=400, problem={"request_id": "remote-9"})

    client.get("/api/test/remote-notes/")

    assert "remote request id remote-9" in caplog.text


def test_an_open_breaker_answers_503_with_retry_after(fake_service, client):
    fake_service("notes", retries=0, breaker_failures=1, breaker_cooldown=30).get("/notes/", status=502)
    client.get("/api/test/remote-notes/")

    response = client.get("/api/test/remote-notes/")

    assert response.status_code == 503
    assert 1 <= int(response["Retry-After"]) <= 30


def test_a_plain_view_answers_the_same_statuses(fake_service, client):
    fake_service("notes", retries=0, read_timeout=0.02).get("/notes/", delay=5)

    response = client.get("/api/test/plain-remote-notes/")

    assert response.status_code == 504
    assert response.json()["code"] == "gateway_timeout"


def test_a_critical_service_with_an_open_breaker_fails_readiness(fake_service, client, settings):
    settings.FRAMEWORK = {"SERVICES": {"notes": {"URL": "http://notes.test", "CRITICAL": True}}}
    fake_service("notes", retries=0, breaker_failures=1).get("/notes/", error="connect")
    assert client.get("/health/ready/").json()["checks"]["service.notes"]["status"] == "ok"
    client.get("/api/test/remote-notes/")
    # Readiness keeps its results for a second: past them, as a probe a second later is.
    from framework.health import runner

    runner.forget()
    response = client.get("/health/ready/")

    assert response.status_code == 503
    check = response.json()["checks"]["service.notes"]
    assert check["status"] == "error"
    assert check["errors"][0].startswith("circuit breaker open after 1 failed attempts in a row")


def test_a_service_not_declared_critical_has_no_readiness_check(fake_service, client, settings):
    settings.FRAMEWORK = {"SERVICES": {"notes": {"URL": "http://notes.test"}}}

    assert "service.notes" not in client.get("/health/ready/").json()["checks"]


def test_the_breaker_state_change_is_logged(fake_service, caplog):
    from framework.services import RemoteServerError, service

    fake_service("notes", retries=0, breaker_failures=1).get("/notes/", status=503)
    with caplog.at_level(logging.INFO, logger="framework.services"), pytest.raises(RemoteServerError):
        service("notes").get("/notes/")

    assert [record.breaker for record in caplog.records if hasattr(record, "breaker")] == [OPEN]
