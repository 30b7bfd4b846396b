"""Throttling: password guessing on token/, per-user, per-key and anonymous rates, counted atomically; 429 with Retry-After."""

import threading
from contextlib import contextmanager
import uuid

import pytest
from django.test import override_settings
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import SimpleRateThrottle

from framework.auth.api_keys import create_api_key
from framework.auth.throttling import UserRateThrottle
from framework.conf.urls import cache_config
from tests.e2e.conftest import free_port
from tests.services import delete_keys, key_prefix, redis_url

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


def test_retry_after_is_the_time_left_in_the_window(client, alice, rates):
    client.force_authenticate(alice)
    rates(user="2/minute")

    responses = [client.get(WHOAMI) for _ in range(3)]

    assert [response.status_code for response in responses] == [200, 200, 429]
    assert 58 <= int(responses[-1]["Retry-After"]) <= 60


@contextmanager
def shared_redis_cache(url=None):
    """This run's Redis database (or `url`) as the cache, with a prefix of the test's own, whose keys are deleted after."""
    ours = url is None
    url = url or redis_url()
    prefix = key_prefix(f"throttle-{uuid.uuid4().hex[:8]}")
    with override_settings(CACHES={"default": cache_config(url, key_prefix=prefix)}):
        yield
    if ours:
        delete_keys(url, f"{prefix}:*")


def requests_allowed(throttle_class, user, *, threads: int, each: int) -> int:
    """How many of threads x each requests of `user` the throttle lets through, each thread with its own cache client."""
    allowed = []

    def send() -> None:
        for _ in range(each):
            request = Request(APIRequestFactory().get("/"))
            request.user, request.auth = user, None
            allowed.append(throttle_class().allow_request(request, None))

    workers = [threading.Thread(target=send) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(allowed)


class ThirtyAMinute(UserRateThrottle):
    rate = "30/minute"


def test_parallel_requests_counted_in_redis_let_exactly_the_rate_through(alice):
    with shared_redis_cache():
        assert requests_allowed(ThirtyAMinute, alice, threads=6, each=10) == 30


def test_parallel_requests_counted_in_local_memory_let_exactly_the_rate_through(alice):
    assert requests_allowed(ThirtyAMinute, alice, threads=6, each=10) == 30


def test_with_the_cache_unreachable_requests_are_let_through(alice):
    with shared_redis_cache(f"redis://127.0.0.1:{free_port()}/8"):
        assert requests_allowed(ThirtyAMinute, alice, threads=1, each=40) == 40
