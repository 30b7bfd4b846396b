"""CACHE_URL and REDIS_URL, from the environment to Django's CACHES."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import BUILTIN_SCHEMAS, CacheSettings


def default_cache(**environ):
    loaded = load(BUILTIN_SCHEMAS, Environment(None, environ={"SECRET_KEY": "k", "DEBUG": "true", **environ}))
    return loaded[CacheSettings].django_settings(None)["CACHES"]["default"]


def test_local_memory_by_default_with_prefix_and_timeout_from_the_schema():
    cache = default_cache(CACHE_KEY_PREFIX="svc", CACHE_TIMEOUT="60")

    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert (cache["KEY_PREFIX"], cache["TIMEOUT"]) == ("svc", 60)


def test_redis_url_configures_the_outage_tolerant_redis_cache():
    cache = default_cache(REDIS_URL="redis://127.0.0.1:6379/2")

    assert cache["BACKEND"] == "framework.cache.backends.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"


def test_cache_url_wins_over_redis_url():
    cache = default_cache(REDIS_URL="redis://127.0.0.1:6379/2", CACHE_URL="redis://cache.internal:6379/5")

    assert cache["LOCATION"] == "redis://cache.internal:6379/5"


def test_a_bad_cache_url_is_a_problem():
    with pytest.raises(SettingsError, match=r"CACHE_URL='memcache://x' \(from environment\): unknown scheme 'memcache'"):
        default_cache(CACHE_URL="memcache://x")
