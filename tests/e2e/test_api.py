"""The API of a generated project under runserver, signed in as a browser would be (session and CSRF)."""

import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.e2e.conftest import free_port, manage, serving

pytestmark = pytest.mark.e2e

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def site(project):
    result = manage(
        project, "shell", "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.filter(username='alice').exists() or "
        "get_user_model().objects.create_user('alice', password='correct horse battery', is_staff=True)",
    )
    assert result.returncode == 0, result.stderr
    port = free_port()
    with serving([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=project, port=port) as url:
        yield url


@pytest.fixture(scope="module")
def session(site):
    """An opener signed in through the admin's login form (alice is staff for it), and its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(site + "/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": "alice", "password": "correct horse battery", "csrfmiddlewaretoken": token, "next": "/admin/"}
    ).encode()
    opener.open(urllib.request.Request(site + "/admin/login/", data=form, headers={"Referer": site + "/admin/login/"}))
    assert any(cookie.name == "sessionid" for cookie in jar)
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    return opener, csrf


def error(opener, request):
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    return caught.value.code, caught.value.headers, json.loads(caught.value.read())


def test_a_missing_note_is_a_404_problem(site, session):
    opener, _ = session

    status, headers, body = error(opener, site + "/api/v1/notes/does-not-exist/")

    assert status == 404
    assert headers["Content-Type"] == PROBLEM
    assert body["code"] == "not_found"


def test_malformed_json_is_a_400_problem_with_its_request_id(site, session):
    opener, csrf = session
    request = urllib.request.Request(
        site + "/api/v1/notes/",
        data=b'{"title": "unfinished',
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": site + "/", "X-Request-ID": "abc-123"},
    )

    status, headers, body = error(opener, request)

    assert status == 400 and headers["Content-Type"] == PROBLEM
    assert body["code"] == "parse_error"
    assert body["request_id"] == "abc-123" == headers["X-Request-ID"]


def test_a_signed_in_user_creates_and_lists_notes(site, session):
    opener, csrf = session
    request = urllib.request.Request(
        site + "/api/v1/notes/",
        data=json.dumps({"title": "from a browser"}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": site + "/"},
    )

    assert opener.open(request, timeout=10).status == 201
    titles = [note["title"] for note in json.loads(opener.open(site + "/api/v1/notes/").read())["results"]]
    assert "from a browser" in titles


def test_an_unknown_api_path_is_a_404_problem_not_html(site):
    status, headers, body = error(urllib.request.build_opener(), site + "/api/nothing/")

    assert status == 404 and headers["Content-Type"] == PROBLEM
    assert body["code"] == "not_found"
