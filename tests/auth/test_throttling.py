"""Throttling: password guessing on token/, and per-user, per-key and anonymous rates; 429 with Retry-After."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from framework.auth.api_keys import create_api_key

from .conftest import PASSWORD, WHOAMI, assert_problem

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"


@pytest.fixture
def rates(monkeypatch):
    """Set throttle rates for one test (DRF reads them once, at import, so settings overrides do not reach them)."""

    def set_rates(**changed):
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**SimpleRateThrottle.THROTTLE_RATES, **changed})

    return set_rates


def guess(client, password="wrong", **headers):
    return client.post(TOKEN, {"username": "alice", "password": password}, format="json", **headers)


def test_the_rates_come_from_the_settings():
    assert SimpleRateThrottle.THROTTLE_RATES == {"anon": "100/minute", "user": "1000/minute", "token": "10/minute"}


def test_twenty_wrong_passwords_in_a_row_are_throttled(client, alice):
    statuses = [guess(client).status_code for _ in range(20)]

    assert statuses[0] == 401
    assert statuses[-1] == 429
    # Once throttled, even the right password is refused until the wait is over.
    response = guess(client, PASSWORD)
    body = assert_problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert "access" not in body


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(client, alice):
    statuses = [guess(client, HTTP_X_FORWARDED_FOR=f"10.0.0.{number}").status_code for number in range(20)]

    assert statuses[-1] == 429


def test_the_token_limit_is_per_client_address(client, alice):
    for _ in range(20):
        guess(client)

    other = client.post(
        TOKEN, {"username": "alice", "password": PASSWORD}, format="json", REMOTE_ADDR="192.0.2.7"
    )

    assert other.status_code == 200


def test_a_user_is_throttled_at_the_user_rate(client, alice, rates):
    client.force_authenticate(alice)
    rates(user="3/minute")

    statuses = [client.get(WHOAMI).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_each_api_key_has_its_own_count(client, alice, rates):
    _first, first_key = create_api_key(alice, "first")
    _second, second_key = create_api_key(alice, "second")
    rates(user="2/minute")

    first = [client.get(WHOAMI, HTTP_X_API_KEY=first_key).status_code for _ in range(3)]
    second = client.get(WHOAMI, HTTP_X_API_KEY=second_key).status_code

    assert first == [200, 200, 429]
    assert second == 200


def test_anonymous_callers_are_throttled_at_the_anonymous_rate(client, rates):
    rates(anon="2/minute")

    statuses = [client.get("/api/v1/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
