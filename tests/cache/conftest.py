import pytest
from django.core.cache import cache
from django.test import override_settings

from framework.conf.urls import cache_config
from tests.services import delete_keys, key_prefix, redis_url


@pytest.fixture(params=["locmem", "redis"])
def cache_url(request):
    """Each test once on local memory and once on a real Redis, configured from a CACHE_URL.

    On Redis the keys carry a prefix of this run's own, and only they are deleted
    after the test: the database may hold another run's keys too.
    """
    prefix = key_prefix("cache-tests")
    url = redis_url() if request.param == "redis" else "locmem://cache-tests"
    with override_settings(CACHES={"default": cache_config(url, key_prefix=prefix, timeout=300)}):
        if request.param == "redis":
            yield url
            delete_keys(url, f"{prefix}:*")
        else:
            cache.clear()
            yield url
            cache.clear()
