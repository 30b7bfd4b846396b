import pytest
from django.core.cache import cache
from django.test import override_settings

from framework.conf.urls import cache_config
from tests.services import require

#: This checkout's Redis database for the cache tests (flushed by them).
REDIS_URL = "redis://127.0.0.1:6379/8"


@pytest.fixture(params=["locmem", "redis"])
def cache_url(request):
    """Each test once on local memory and once on a real Redis, configured from a CACHE_URL."""
    if request.param == "redis":
        require("Redis", "127.0.0.1", 6379)
        url = REDIS_URL
    else:
        url = "locmem://cache-tests"
    with override_settings(CACHES={"default": cache_config(url, key_prefix="test", timeout=300)}):
        cache.clear()
        yield url
        cache.clear()
