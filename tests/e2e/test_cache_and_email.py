"""A generated project's cache on Redis, and its email to a real SMTP server."""

import email
import email.policy
import http.cookiejar
import json
import re
import sys
import urllib.parse
import urllib.request

import pytest
import redis

from framework.testing.processes import Process
from tests.e2e.conftest import clean_environ, free_port, manage, serving
from tests.email.conftest import Inbox
from tests.services import delete_keys, key_prefix, redis_url

pytestmark = pytest.mark.e2e

#: The prefix of the end-to-end cache test's keys, in this run's Redis database; only they are deleted.
CACHE_KEY_PREFIX = key_prefix("e2e-cache")


def sign_in(site, username, password):
    """An opener signed in through the admin's login form, and its CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(site + "/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"}
    ).encode()
    opener.open(urllib.request.Request(site + "/admin/login/", data=form, headers={"Referer": site + "/admin/login/"}))
    assert any(cookie.name == "sessionid" for cookie in jar)
    return opener, next(cookie.value for cookie in jar if cookie.name == "csrftoken")


@pytest.fixture(scope="module")
def cached_site(project):
    cache_url = redis_url()
    for username in ("carol", "dave"):
        result = manage(
            project, "shell", "-c",
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.filter(username='{username}').exists() or "
            f"get_user_model().objects.create_user('{username}', password='correct horse battery', is_staff=True)",
        )
        assert result.returncode == 0, result.stderr
    port = free_port()
    environ = clean_environ(CACHE_URL=cache_url, CACHE_KEY_PREFIX=CACHE_KEY_PREFIX)
    with serving([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=project, port=port, env=environ) as url:
        yield url
    delete_keys(cache_url, f"{CACHE_KEY_PREFIX}:*")


def get_notes(opener, site):
    with opener.open(site + "/api/v1/notes/", timeout=10) as response:
        return response.headers["X-Cache"], [note["title"] for note in json.loads(response.read())["results"]]


def test_the_notes_list_is_cached_on_redis_and_a_post_shows_at_once(cached_site):
    opener, csrf = sign_in(cached_site, "carol", "correct horse battery")

    first, second = get_notes(opener, cached_site), get_notes(opener, cached_site)
    assert (first[0], second[0]) == ("miss", "hit")
    assert first[1] == second[1]
    assert redis.Redis.from_url(redis_url()).keys(f"{CACHE_KEY_PREFIX}:*framework.cache:response:notes.note:*")

    request = urllib.request.Request(
        cached_site + "/api/v1/notes/",
        data=json.dumps({"title": "written through the cache"}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": cached_site + "/"},
    )
    assert opener.open(request, timeout=10).status == 201

    state, titles = get_notes(opener, cached_site)
    assert state == "miss"
    assert "written through the cache" in titles


def test_another_users_cached_list_is_not_served(cached_site):
    carol, csrf = sign_in(cached_site, "carol", "correct horse battery")
    request = urllib.request.Request(
        cached_site + "/api/v1/notes/",
        data=json.dumps({"title": "carol's only"}).encode(),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": cached_site + "/"},
    )
    carol.open(request, timeout=10)
    get_notes(carol, cached_site)
    dave, _ = sign_in(cached_site, "dave", "correct horse battery")

    state, titles = get_notes(dave, cached_site)

    assert state == "miss"
    assert "carol's only" not in titles


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", inbox
    controller.stop()


SEND = (
    "from framework.email import {function}; "
    "print({function}(to=['a@example.com'], subject='hi', body='text', html='<p>text</p>'))"
)


def assert_both_parts(inbox, message_id):
    [message] = inbox.messages
    assert message["Message-ID"] == message_id
    assert message["Subject"] == "hi"
    found = {part.get_content_type(): part.get_content().strip() for part in message.walk() if not part.is_multipart()}
    assert found == {"text/plain": "text", "text/html": "<p>text</p>"}


def test_send_now_from_the_shell_reaches_the_smtp_server(project, smtp_server):
    url, inbox = smtp_server

    result = manage(project, "shell", "-c", SEND.format(function="send_now"), EMAIL_URL=url)

    assert result.returncode == 0, result.stderr
    assert_both_parts(inbox, result.stdout.strip().splitlines()[-1])  # after the shell's own lines


def test_sendtestemail_uses_the_email_url(project, smtp_server):
    url, inbox = smtp_server

    result = manage(project, "sendtestemail", "ann@example.com", EMAIL_URL=url)

    assert result.returncode == 0, result.stderr
    [message] = inbox.messages
    assert message["To"] == "ann@example.com" and "Test email from" in message["Subject"]


def test_sendtestemail_fails_when_the_server_is_down(project):
    result = manage(project, "sendtestemail", "ann@example.com", EMAIL_URL=f"smtp://127.0.0.1:{free_port()}")

    assert result.returncode == 1
    assert result.stderr.startswith("CommandError: The test email was not sent through the SMTP server 127.0.0.1:")
    assert "Connection refused" in result.stderr and "Traceback" not in result.stderr


def test_send_email_from_the_shell_is_sent_by_a_worker(project, smtp_server, tmp_path):
    url, inbox = smtp_server
    with Process(
        [sys.executable, "manage.py", "runworker", "--noreload", "--pool", "solo", "--loglevel", "INFO"],
        log=tmp_path / "runworker.log", cwd=project, env=clean_environ(EMAIL_URL=url), name="runworker",
    ) as worker:
        result = manage(project, "shell", "-c", SEND.format(function="send_email"), EMAIL_URL=url)
        assert result.returncode == 0, result.stderr
        worker.wait_until(lambda: inbox.messages, timeout=60, what="send the message")
    assert_both_parts(inbox, result.stdout.strip().splitlines()[-1])  # after the shell's own lines
