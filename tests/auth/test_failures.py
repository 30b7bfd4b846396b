"""Failed authentication throttled per address before the view runs (framework/auth/failures.py)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import path

from framework.auth.api_keys import create_api_key
from framework.auth.failures import KEY
from framework.cache.counters import count_in_window
from tests.urls import urlpatterns as test_urlpatterns

from .conftest import PASSWORD, WHOAMI, assert_problem, bearer

# The test project's URLs, and the admin's, as a generated project has.
urlpatterns = [path("admin/", admin.site.urls), *test_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def failures(settings):
    """Set THROTTLE_AUTH_FAILURE_RATE for one test."""

    def set_rate(rate):
        settings.FRAMEWORK = {**settings.FRAMEWORK, "THROTTLE_AUTH_FAILURE_RATE": rate}

    return set_rate


def assert_throttled(response):
    body = assert_problem(response, 429, "throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    return body


def test_two_hundred_wrong_api_keys_meet_429_after_the_limit(client, alice):
    statuses = [client.get(WHOAMI, HTTP_X_API_KEY=f"abcdefgh.wrong{number}").status_code for number in range(200)]

    assert statuses[:20] == [401] * 20
    assert set(statuses[20:]) == {429}
    assert_throttled(client.get(WHOAMI, HTTP_X_API_KEY="abcdefgh.wrong"))


def test_once_throttled_the_right_key_is_refused_too(client, alice):
    _, key = create_api_key(alice, "ci")
    for number in range(20):
        client.get(WHOAMI, HTTP_X_API_KEY=f"{key[:8]}.guess{number}")

    assert_throttled(client.get(WHOAMI, HTTP_X_API_KEY=key))


def test_requests_without_credentials_are_counted(client, failures):
    failures("3/minute")

    statuses = [client.get(WHOAMI).status_code for _ in range(5)]

    assert statuses == [401, 401, 401, 429, 429]


def test_forged_tokens_are_counted(client, alice, failures):
    failures("3/minute")

    statuses = [client.get(WHOAMI, **bearer(f"not.a.token{number}")).status_code for number in range(4)]
    refreshes = client.post(REFRESH, {"refresh": "forged"}, format="json")

    assert statuses == [401, 401, 401, 429]
    assert_throttled(refreshes)


def test_wrong_passwords_on_the_token_endpoint_count_once_each(client, alice, failures, settings):
    failures("3/minute")
    # The token endpoint's own throttle out of the way: this one is what is tested.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": None},
    }

    statuses = [
        client.post(TOKEN, {"username": "alice", "password": "wrong"}, format="json").status_code for _ in range(3)
    ]

    assert statuses == [401, 401, 401]
    assert_throttled(client.post(TOKEN, {"username": "alice", "password": PASSWORD}, format="json"))


def test_authenticated_traffic_adds_nothing_and_is_never_throttled_by_it(client, alice, failures):
    failures("3/minute")
    _, key = create_api_key(alice, "ci")

    statuses = [client.get(WHOAMI, HTTP_X_API_KEY=key).status_code for _ in range(30)]
    statuses += [client.get(WHOAMI).status_code for _ in range(2)]
    statuses.append(client.get(WHOAMI, HTTP_X_API_KEY=key).status_code)

    assert statuses == [200] * 30 + [401, 401, 200]


def test_the_count_is_per_client_address(client, alice, failures):
    failures("3/minute")
    _, key = create_api_key(alice, "ci")
    for _ in range(5):
        client.get(WHOAMI)

    assert client.get(WHOAMI, HTTP_X_API_KEY=key, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_it(client, failures):
    failures("3/minute")

    statuses = [client.get(WHOAMI, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code for number in range(5)]

    assert statuses[-1] == 429


def test_off_means_no_limit(client, failures):
    failures(None)  # THROTTLE_AUTH_FAILURE_RATE=off

    assert {client.get(WHOAMI).status_code for _ in range(30)} == {401}


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True, is_superuser=True)


def test_the_admin_login_is_throttled_like_the_token_endpoint(staff, failures):
    failures("3/minute")
    browser = Client()
    for _ in range(3):
        # A failed sign-in is the form again, with its error.
        assert browser.post(ADMIN_LOGIN, {"username": "staff", "password": "wrong"}).status_code == 200

    refused = browser.post(ADMIN_LOGIN, {"username": "staff", "password": PASSWORD})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/plain")
    assert "_auth_user_id" not in browser.session
    # The form itself still shows.
    assert browser.get(ADMIN_LOGIN).status_code == 200


def test_a_right_admin_password_under_the_limit_signs_in(staff, failures):
    failures("3/minute")
    browser = Client()
    browser.post(ADMIN_LOGIN, {"username": "staff", "password": "wrong"})

    response = browser.post(ADMIN_LOGIN, {"username": "staff", "password": PASSWORD})

    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(staff.pk)


@pytest.fixture
def reads(monkeypatch):
    """The times the middleware reads an address's count without adding to it."""
    from framework.auth import failures as module

    made = []
    counter = module.count_in_window

    def counting(cache, key, window, *, add=1):
        if add == 0:
            made.append(key)
        return counter(cache, key, window, add=add)

    monkeypatch.setattr(module, "count_in_window", counting)
    return made


@pytest.fixture
def later(monkeypatch):
    """Move this process's clock past RECHECK_AFTER."""
    from framework.auth import failures as module

    def move():
        now = module.time.monotonic() + module.RECHECK_AFTER + 0.1
        monkeypatch.setattr(module.time, "monotonic", lambda: now)

    return move


def test_api_reads_with_credentials_already_let_through_read_the_count_once_a_second(client, alice, reads, later):
    _, key = create_api_key(alice, "ci")

    assert {client.get(WHOAMI, HTTP_X_API_KEY=key).status_code for _ in range(10)} == {200}
    assert len(reads) == 1
    later()
    client.get(WHOAMI, HTTP_X_API_KEY=key)
    assert len(reads) == 2


def test_other_credentials_from_the_address_are_read_every_time(client, alice, reads):
    _, key = create_api_key(alice, "ci")
    _, other = create_api_key(alice, "other")
    client.get(WHOAMI, HTTP_X_API_KEY=key)

    client.get(WHOAMI, HTTP_X_API_KEY=other)
    client.get(WHOAMI, HTTP_X_API_KEY=key, REMOTE_ADDR="192.0.2.7")

    assert len(reads) == 3


def test_writes_are_read_every_time(client, alice, reads):
    _, key = create_api_key(alice, "ci")

    for _ in range(3):
        client.post(WHOAMI, {}, format="json", HTTP_X_API_KEY=key)

    assert len(reads) == 3


def test_once_throttled_elsewhere_the_right_key_is_refused_and_the_one_let_through_within_a_second(
    client, alice, failures, later
):
    failures("3/minute")
    _, known = create_api_key(alice, "known")
    _, guessed = create_api_key(alice, "guessed")
    assert client.get(WHOAMI, HTTP_X_API_KEY=known).status_code == 200
    # Three failures counted by other processes: this one has not seen them.
    for _ in range(3):
        count_in_window(cache, KEY.format(ident="127.0.0.1"), 60)

    assert_throttled(client.get(WHOAMI, HTTP_X_API_KEY=guessed))
    assert client.get(WHOAMI, HTTP_X_API_KEY=known).status_code == 200
    later()
    assert_throttled(client.get(WHOAMI, HTTP_X_API_KEY=known))


def test_a_failure_seen_here_makes_the_address_read_again(client, alice, failures):
    failures("3/minute")
    _, key = create_api_key(alice, "ci")
    assert client.get(WHOAMI, HTTP_X_API_KEY=key).status_code == 200

    for number in range(3):
        client.get(WHOAMI, HTTP_X_API_KEY=f"{key[:8]}.guess{number}")

    assert_throttled(client.get(WHOAMI, HTTP_X_API_KEY=key))
