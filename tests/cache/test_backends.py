"""The Redis cache backend through an outage: misses and one warning, never an error."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings

from framework.cache.backends import OUTAGE_WARNING
from framework.conf.urls import cache_config
from framework.testing.ports import free_port
from framework.testing.processes import accepts_connections
from tests.services import redis_server, redis_url


def redis_cache(port, **options):
    config = cache_config(f"redis://127.0.0.1:{port}/8", key_prefix="test")
    config["OPTIONS"] |= options
    return override_settings(CACHES={"default": config})


def outage_warnings(caplog):
    return [record for record in caplog.records if record.name == "framework.cache" and record.msg == OUTAGE_WARNING]


def test_an_unreachable_redis_answers_misses(caplog):
    with redis_cache(free_port()):
        cache.set("key", "value")
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.add("key", "value") is False
        assert cache.get_or_set("key", "computed") == "computed"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("key") is False
        assert cache.has_key("key") is False
        with pytest.raises(ValueError, match="not found"):
            cache.incr("counter")


def test_an_outage_is_logged_once_per_interval(caplog):
    caplog.set_level(logging.WARNING, logger="framework.cache")
    with redis_cache(free_port(), RETRY_AFTER=3600):
        for _ in range(5):
            cache.get("key")

    [warning] = outage_warnings(caplog)
    assert "127.0.0.1" in warning.getMessage() and "misses" in warning.getMessage()


def test_after_the_interval_the_cache_is_tried_and_logged_again(caplog):
    caplog.set_level(logging.WARNING, logger="framework.cache")
    with redis_cache(free_port(), RETRY_AFTER=0):
        cache.get("key")
        cache.get("key")

    assert len(outage_warnings(caplog)) == 2


# Passwords as a Redis client accepts them in a URL (a `/` or `@` percent-encoded, or not at all below).
@pytest.mark.parametrize("password", ["hunter2", "hun:ter2", "hun%2Fter%40%3A2", "hun%ter2"])
def test_the_password_is_not_logged(caplog, password):
    caplog.set_level(logging.WARNING, logger="framework.cache")
    config = cache_config(f"redis://user:{password}@127.0.0.1:{free_port()}/8")
    with override_settings(CACHES={"default": config}):
        cache.get("key")

    assert password not in caplog.text
    assert outage_warnings(caplog)


@pytest.mark.parametrize("password", ["pa/ss", "p@ss", "pa:ss", "pa%2Fss"])
def test_a_location_is_masked_by_the_one_masker_whatever_the_password(password):
    from framework.cache.backends import _masked

    location = f"redis://u:{password}@one:6379/0,redis://u:{password}@two:6379/0"

    assert _masked(location) == "redis://u:********@one:6379/0,redis://u:********@two:6379/0"


@pytest.fixture
def redis_server_port(tmp_path):
    """A port where a Redis server of this test's own starts when the test calls `start()`."""
    port = free_port()
    server = redis_server(tmp_path, port)

    def start():
        server.start().wait_until(accepts_connections("127.0.0.1", port), timeout=10, what="accept connections")

    try:
        yield port, start
    finally:
        server.stop()  # if it was started


def test_the_cache_works_again_when_redis_comes_back(redis_server_port, caplog):
    port, start = redis_server_port
    caplog.set_level(logging.WARNING, logger="framework.cache")
    with redis_cache(port, RETRY_AFTER=0):
        cache.set("key", "lost")
        start()
        cache.set("key", "kept")

        assert cache.get("key") == "kept"
    assert "reachable again" in caplog.text


def test_throttling_keeps_answering_through_an_outage():
    # DRF's throttles keep their history in the default cache: an outage lets requests through.
    from rest_framework.test import APIRequestFactory
    from rest_framework.throttling import AnonRateThrottle
    from rest_framework.views import APIView

    class PerMinute(AnonRateThrottle):
        rate = "1/min"

    request = APIView().initialize_request(APIRequestFactory().get("/"))
    with redis_cache(free_port(), RETRY_AFTER=3600):
        assert all(PerMinute().allow_request(request, None) for _ in range(3))


def test_a_wrong_password_is_raised_not_taken_for_an_outage():
    from redis.exceptions import AuthenticationError

    url = redis_url().replace("redis://", "redis://nobody:wrong@")
    with override_settings(CACHES={"default": cache_config(url)}):
        with pytest.raises(AuthenticationError):
            cache.get("key")
