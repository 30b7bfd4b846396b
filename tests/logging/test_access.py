import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from framework.auth.api_keys import create_api_key
from framework.auth.tokens import issue_tokens

pytestmark = pytest.mark.django_db


def access_lines(lines):
    return [line for line in lines if line["logger"] == "framework.access"]


def test_one_access_line_per_request_with_its_fields(client, log_lines):
    response = client.get("/api/v1/", HTTP_X_REQUEST_ID="abc-123")

    [line] = access_lines(log_lines())
    assert line["request_id"] == "abc-123" == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/", response.status_code)
    assert line["size"] == len(response.content)
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None
    assert line["message"].startswith(f"GET /api/v1/ {response.status_code} ")


@pytest.mark.parametrize("sign_in", ["session", "jwt", "api_key"])
def test_lines_written_during_a_request_carry_its_id_and_user(log_lines, sign_in):
    user = get_user_model().objects.create_user("ann")
    api = APIClient(raise_request_exception=False)
    if sign_in == "session":
        api.force_login(user)
    elif sign_in == "jwt":
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user)['access']}")
    else:
        api.credentials(HTTP_AUTHORIZATION=f"Api-Key {create_api_key(user, name='logs')[1]}")

    api.get("/api/test/fail/suspicious/", HTTP_X_REQUEST_ID="req-7")

    lines = log_lines()
    [warning] = [line for line in lines if line["message"].startswith("Suspicious request")]
    assert warning["request_id"] == "req-7" and warning["user_id"] == user.pk
    [access] = access_lines(lines)
    assert access["request_id"] == "req-7" and access["user_id"] == user.pk


def test_a_request_that_never_reads_its_user_logs_none_and_loads_none(client, log_lines, django_assert_num_queries):
    client.force_login(get_user_model().objects.create_user("ann"))

    with django_assert_num_queries(0):
        client.get("/api/test/plain-post-only/")  # refused before the view reads anything

    [line] = access_lines(log_lines())
    assert line["status"] == 405 and line["user_id"] is None


def test_a_plain_view_that_reads_the_session_user_logs_it(client, log_lines):
    user = get_user_model().objects.create_user("ann")
    client.force_login(user)

    client.get("/api/test/plain-whoami/")

    [line] = access_lines(log_lines())
    assert (line["status"], line["user_id"]) == (200, user.pk)


def test_djangos_own_error_line_carries_the_request_id(client, log_lines):
    client.get("/api/test/fail/suspicious/", HTTP_X_REQUEST_ID="lost-1")

    [bad_request] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert bad_request["request_id"] == "lost-1" and bad_request["status_code"] == 400


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/test/whoami/", 401), ("/api/test/fail/permission/", 403), ("/api/nothing/", 404), ("/nothing/", 404),
        ("/api/test/fail/throttled/", 429),
    ],
)
def test_an_expected_client_error_is_the_access_line_alone(client, log_lines, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert [line["logger"] for line in log_lines()] == ["framework.access"]


def only_line(lines, response):
    """The one line of the request: its access line, with the id the response carries."""
    [line] = lines
    assert line["logger"] == "framework.access"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["status"] == response.status_code
    return line


def test_the_https_redirect_has_its_access_line_and_request_id(client, settings, log_lines):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/api/v1/", HTTP_X_REQUEST_ID="redirect-1")

    assert response.status_code == 301 and response["Location"] == "https://testserver/api/v1/"
    assert only_line(log_lines(), response)["request_id"] == "redirect-1"


def test_a_static_file_has_its_access_line_and_request_id(settings, log_lines):
    # whitenoise reads these when it is made: a new client makes a new stack.
    settings.WHITENOISE_USE_FINDERS, settings.WHITENOISE_AUTOREFRESH = True, True

    response = Client().get("/static/admin/css/base.css")

    assert response.status_code == 200 and response.streaming  # whitenoise's own response
    assert only_line(log_lines(), response)["path"] == "/static/admin/css/base.css"


def test_a_cors_preflight_has_its_access_line_and_request_id(client, settings, log_lines):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    response = client.options(
        "/api/v1/", HTTP_ORIGIN="https://app.example.com", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )

    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert only_line(log_lines(), response)["method"] == "OPTIONS"


def test_an_error_raised_by_a_middleware_has_its_access_line_and_request_id(settings, log_lines):
    outermost, rest = settings.MIDDLEWARE[:2], settings.MIDDLEWARE[2:]
    settings.MIDDLEWARE = [*outermost, "tests.testapp.middleware.FailingMiddleware", *rest]
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/", HTTP_X_FAIL="1", HTTP_X_REQUEST_ID="fail-1")

    assert response.status_code == 500 and response["X-Request-ID"] == "fail-1"
    lines = log_lines()
    [access] = [line for line in lines if line["logger"] == "framework.access"]
    assert (access["status"], access["request_id"]) == (500, "fail-1")
    # Django's line with the traceback, once, with the same id.
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert error["request_id"] == "fail-1" and "the middleware failed" in error["exc_info"]


def test_a_disallowed_host_has_its_access_line_and_request_id(client, log_lines):
    response = client.get("/api/v1/", HTTP_HOST="evil.example", HTTP_X_REQUEST_ID="host-1")

    assert response.status_code == 400
    access = [line for line in log_lines() if line["logger"] == "framework.access"]
    assert [(line["status"], line["request_id"]) for line in access] == [(400, "host-1")]
