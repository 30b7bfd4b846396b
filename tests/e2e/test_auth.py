"""Signing in to a generated project under runserver: JWTs, API keys from the command line, and rights."""

import json
import sys
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import free_port, manage, serving

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def site(project):
    result = manage(
        project, "shell", "-c",
        f"from django.contrib.auth import get_user_model; get_user_model().objects.create_user('alice', password={PASSWORD!r})",
    )
    assert result.returncode == 0, result.stderr
    port = free_port()
    with serving([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=project, port=port) as url:
        yield url


def call(url, *, data=None, headers=None):
    """(status, headers, JSON body) of a request, errors included."""
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


@pytest.fixture(scope="module")
def tokens(site):
    status, _, body = call(site + "/api/v1/auth/token/", data={"username": "alice", "password": PASSWORD})
    assert status == 200, body
    return body


def test_a_password_gives_an_access_and_a_refresh_token(tokens):
    assert set(tokens) == {"access", "refresh"}


def test_the_access_token_reads_the_notes(site, tokens):
    status, _, body = call(site + "/api/v1/notes/", headers={"Authorization": f"Bearer {tokens['access']}"})

    assert status == 200
    assert body["results"] == []


def test_the_access_token_with_its_last_character_changed_is_a_401_problem(site, tokens):
    access = tokens["access"]
    tampered = access[:-1] + ("A" if access[-1] != "A" else "B")

    status, headers, body = call(site + "/api/v1/notes/", headers={"Authorization": f"Bearer {tampered}"})

    assert status == 401
    assert headers["Content-Type"] == PROBLEM
    assert headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert (body["status"], body["code"]) == (401, "token_not_valid")


def test_no_credentials_is_a_401_problem(site):
    status, headers, body = call(site + "/api/v1/notes/")

    assert status == 401 and headers["Content-Type"] == PROBLEM
    assert body["code"] == "not_authenticated"


def test_an_api_key_from_the_command_line_until_it_is_revoked(project, site):
    created = manage(project, "createapikey", "--user", "alice", "--name", "ci")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert "not shown again" in created.stderr

    status, _, _ = call(site + "/api/v1/notes/", headers={"Authorization": f"Api-Key {key}"})
    assert status == 200

    revoked = manage(project, "revokeapikey", key.partition(".")[0])
    assert revoked.returncode == 0, revoked.stderr

    status, headers, body = call(site + "/api/v1/notes/", headers={"Authorization": f"Api-Key {key}"})
    assert status == 401 and headers["Content-Type"] == PROBLEM
    assert body["code"] == "authentication_failed"


def test_createapikey_for_an_unknown_user_is_one_line_and_exit_1(project):
    result = manage(project, "createapikey", "--user", "nobody", "--name", "ci")

    assert result.returncode == 1
    assert result.stderr.strip() == "CommandError: --user: no user named 'nobody'; create it first (manage.py createsuperuser)"


def test_a_rights_protected_view_needs_the_right(project, site, tokens):
    stats = site + "/api/v1/notes/stats/"
    bearer = {"Authorization": f"Bearer {tokens['access']}"}

    status, headers, body = call(stats, headers=bearer)
    assert status == 403 and headers["Content-Type"] == PROBLEM
    assert body["code"] == "permission_denied"

    granted = manage(
        project, "shell", "-c",
        "from django.contrib.auth import get_user_model; from framework.auth.rights import grant_right; "
        "grant_right(get_user_model().objects.get(username='alice'), 'notes', 'audit')",
    )
    assert granted.returncode == 0, granted.stderr

    status, _, body = call(stats, headers=bearer)
    assert status == 200
    assert set(body) == {"notes", "owners"}


def test_logout_ends_the_refresh_token(site, tokens):
    status, _, _ = call(site + "/api/v1/auth/logout/", data={"refresh": tokens["refresh"]})
    assert status == 204

    status, _, body = call(site + "/api/v1/auth/token/refresh/", data={"refresh": tokens["refresh"]})
    assert status == 401 and body["code"] == "token_not_valid"
