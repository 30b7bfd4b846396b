"""A generated project under `manage.py serve`, with production settings, as a hostile or careless user meets it."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import clean_environ
from tests.e2e.test_serve import serve

pytestmark = pytest.mark.e2e

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "THROTTLE_AUTH_FAILURE_RATE": "10/minute",
}


@pytest.fixture(scope="module")
def served(project, tmp_path_factory):
    with serve(project, tmp_path_factory.mktemp("hostile"), **PRODUCTION) as server:
        yield server


def send(served, path: str, *, method: str = "GET", body: bytes | None = None, **headers: str):
    request = urllib.request.Request(served.url + path, data=body, method=method, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


def test_deep_json_to_the_token_endpoint_is_a_400_parse_error(served):
    body = b'{"username": "a", "password": "b", "x": ' + b"[" * 5_000 + b"]" * 5_000 + b"}"

    status, headers, content = send(served, "/api/v1/auth/token/", method="POST", body=body, **{"Content-Type": "application/json"})

    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert json.loads(content)["code"] == "parse_error"


@pytest.mark.parametrize(("method", "path"), [("POST", "/health/"), ("OPTIONS", "/health/ready/"), ("DELETE", "/health/")])
def test_health_refuses_other_methods_with_a_405_problem(served, method, path):
    status, headers, content = send(served, path, method=method)

    assert status == 405
    assert headers["Content-Type"] == "application/problem+json" and headers["Allow"] == "GET, HEAD"
    assert json.loads(content)["code"] == "method_not_allowed"


def test_health_tells_no_versions_and_verbose_false_still_checks(served):
    _, _, live = send(served, "/health/")
    status, _, ready = send(served, "/health/ready/?verbose=false")

    assert "versions" not in json.loads(live)
    assert status == 200 and json.loads(ready) == {"status": "ok", "service": {"name": "mysite", "version": None, "build": None}}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SECRET_KEY": "abc"}, "SECRET_KEY='********' (from environment): is 3 characters, 3 of them distinct"),
        ({"DATABSE_URL": "postgres://app@db/app"}, "DATABSE_URL: is set but is not a setting; did you mean DATABASE_URL?"),
        (
            {"DATABASE_URL": "sqlite:////no/such/dir/x.db"},
            "DATABASE_URL='sqlite:////no/such/dir/x.db' (from environment): names the SQLite file /no/such/dir/x.db,",
        ),
        (
            {"SECRET_KEY": "abc", "DATABSE_URL": "postgres://app@db/app", "DATABASE_URL": "sqlite:////no/such/dir/x.db"},
            "The settings have 3 problems:",
        ),
    ],
    ids=["short secret key", "misspelled setting", "sqlite folder missing", "all reported together"],
)
def test_serve_refuses_to_start_on_bad_production_settings(project, environ, expected):
    result = subprocess.run(
        [sys.executable, "manage.py", "serve"], cwd=project, env=clean_environ(**{**PRODUCTION, "PORT": "1", **environ}),
        capture_output=True, text=True, timeout=120,
    )

    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


# Last: once throttled, this address's API calls and posts are refused for the rest of the minute.
def test_guessed_api_keys_meet_429_with_retry_after(served):
    statuses = [
        send(served, "/api/v1/notes/", **{"X-API-Key": f"abcdefgh.guess{number}"})[0] for number in range(12)
    ]
    status, headers, content = send(served, "/api/v1/notes/", **{"X-API-Key": "abcdefgh.guess"})

    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
    assert status == 429 and 0 < int(headers["Retry-After"]) <= 60
    assert json.loads(content)["code"] == "throttled"
