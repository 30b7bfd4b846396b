"""Every error an API path can produce is a problem (RFC 9457), never HTML, never a traceback."""

import logging
import sys

import pytest
from django.core.signals import got_request_exception

from framework.api.problems import status_code_name
from tests.api.conftest import assert_problem
from tests.testapp.models import Book

pytestmark = pytest.mark.django_db

BOOKS = "/api/v1/books/"


def test_malformed_json(api):
    response = api.post(BOOKS, '{"title": "x",', content_type="application/json")

    body = assert_problem(response, 400, "parse_error")
    assert "JSON parse error" in body["detail"]


def test_a_json_array_where_an_object_is_expected(api):
    response = api.post(BOOKS, [1, 2], format="json")

    body = assert_problem(response, 400, "validation_error")
    assert body["errors"] == [
        {"field": None, "code": "invalid", "message": "Invalid data. Expected a dictionary, but got list."}
    ]


def test_wrong_types_and_missing_fields_are_listed_by_field(api):
    response = api.post(BOOKS, {"pages": "many"}, format="json")

    body = assert_problem(response, 400, "validation_error")
    assert sorted((error["field"], error["code"]) for error in body["errors"]) == [
        ("pages", "invalid"),
        ("title", "required"),
    ]
    assert not Book.objects.exists()


def test_nested_field_errors_are_dotted_paths(anonymous):
    shelf = {"name": "", "books": [{"title": "ok", "pages": 1}, {"title": "", "pages": -1}]}

    response = anonymous.post("/api/test/shelf/", shelf, content_type="application/json")

    body = assert_problem(response, 400, "validation_error")
    assert sorted((error["field"], error["code"]) for error in body["errors"]) == [
        ("books.1.pages", "min_value"),
        ("books.1.title", "blank"),
        ("name", "blank"),
    ]


def test_unsupported_media_type(api):
    response = api.post(BOOKS, "<book/>", content_type="text/xml")

    assert_problem(response, 415, "unsupported_media_type")


def test_wrong_method_names_the_allowed_ones(api):
    response = api.put(BOOKS, {}, format="json")

    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_not_authenticated(anonymous):
    response = anonymous.get(BOOKS)

    assert_problem(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "path",
    ["/api/nothing/", "/api/v1/nothing/", "/api/v1/books/1/extra/", "/api/v1/books%00/", "/api/" + "a" * 5000 + "/"],
)
def test_unknown_urls_under_api(anonymous, path):
    response = anonymous.get(path)

    assert_problem(response, 404, "not_found")


def test_unknown_url_is_a_problem_in_debug_too(anonymous, settings):
    settings.DEBUG = True

    assert_problem(anonymous.get("/api/nothing/"), 404, "not_found")


def test_unknown_url_outside_the_api_is_left_to_django(anonymous):
    response = anonymous.get("/nothing/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_missing_row(api):
    assert_problem(api.get(BOOKS + "12345/"), 404, "not_found")
    assert_problem(api.get(BOOKS + "not-a-number/"), 404, "not_found")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("http404", 404, "not_found"),
        ("permission", 403, "permission_denied"),
        ("suspicious", 400, "bad_request"),
        ("domain", 409, "book_locked"),
    ],
)
def test_django_and_domain_errors_raised_in_a_view(anonymous, kind, status, code):
    body = assert_problem(anonymous.get(f"/api/test/fail/{kind}/"), status, code)

    # Django's exception messages describe internals; the caller gets the generic text.
    assert "secret" not in body["detail"] and "passwd" not in body["detail"] and "internal" not in body["detail"]


def test_domain_error_keeps_its_message(anonymous):
    assert assert_problem(anonymous.get("/api/test/fail/domain/"), 409, "book_locked")["detail"] == "This book is locked."


@pytest.fixture
def signalled():
    """The requests of Django's got_request_exception signal (error trackers listen to it), with the error."""
    received = []

    def receiver(sender, request, **kwargs):
        received.append((request, sys.exc_info()[1]))

    got_request_exception.connect(receiver)
    yield received
    got_request_exception.disconnect(receiver)


@pytest.mark.parametrize("path", ["/api/test/fail/crash/", "/api/test/plain-crash/"], ids=["api-view", "plain-view"])
def test_unhandled_error_is_a_500_without_internals_reported_once(anonymous, caplog, signalled, path):
    with caplog.at_level(logging.WARNING):
        response = anonymous.get(path, HTTP_X_REQUEST_ID="req-42")

    body = assert_problem(response, 500, "server_error")
    assert "hunter2" not in response.content.decode() and "Traceback" not in response.content.decode()
    assert "secret internals" not in response.content.decode()
    assert body["request_id"] == "req-42"
    [(request, error)] = signalled
    assert request.id == "req-42" and isinstance(error, RuntimeError)
    # One line, Django's, with the traceback and the request id; the access line is INFO.
    [record] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert (record.name, record.status_code) == ("django.request", 500)
    assert record.exc_info[0] is RuntimeError
    assert record.request_id == "req-42"


def test_expected_errors_are_not_signalled(anonymous, signalled):
    for kind in ("http404", "permission", "suspicious", "domain", "database", "throttled"):
        anonymous.get(f"/api/test/fail/{kind}/")

    assert signalled == []


def test_unhandled_error_in_a_plain_django_view_under_api(anonymous, settings):
    settings.DEBUG = True  # Django would answer its HTML debug page

    response = anonymous.get("/api/test/plain-crash/")

    assert_problem(response, 500, "server_error")
    assert "secret internals" not in response.content.decode()


def test_plain_view_refusing_a_method_keeps_the_allow_header(anonymous):
    response = anonymous.get("/api/test/plain-post-only/")

    assert_problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


def test_errors_are_json_even_when_html_is_asked_for(api):
    response = api.get(BOOKS + "12345/", HTTP_ACCEPT="text/html")

    assert_problem(response, 404, "not_found")


def test_a_failed_write_is_rolled_back(api, monkeypatch):
    def fail_after_saving(self, serializer):
        serializer.save()
        raise RuntimeError("after the row was written")

    monkeypatch.setattr("tests.testapp.views.BookViewSet.perform_create", fail_after_saving)

    response = api.post(BOOKS, {"title": "half", "pages": 1}, format="json")

    assert_problem(response, 500, "server_error")
    assert not Book.objects.exists()


@pytest.mark.parametrize(
    ("status", "code"),
    [(413, "payload_too_large"), (414, "request_uri_too_long"), (416, "requested_range_not_satisfiable"), (422, "unprocessable_entity")],
)
def test_a_status_s_code_is_the_same_on_every_python(status, code):
    # Python 3.13 renamed these statuses' phrases ("URI Too Long"); the code stays.
    assert status_code_name(status) == code
