"""Cache settings: CACHE_URL or REDIS_URL, as Django's CACHES."""

from __future__ import annotations

from typing import Any

from ..schema import Context, Schema, setting
from ..types import CacheURL, RedisURL, Seconds
from ..urls import cache_config


class CacheSettings(Schema):
    title = "Cache"

    CACHE_URL: CacheURL = setting(
        None,
        "redis://host:6379/0, rediss://..., locmem://, file:///path or dummy://. "
        "Default: REDIS_URL if set, else local memory.",
        default_from=("REDIS_URL",),
        effective_default="locmem://",
    )
    REDIS_URL: RedisURL = setting(
        None,
        "A Redis server shared by the cache and the task queue, e.g. redis://127.0.0.1:6379/0; "
        "used where CACHE_URL or CELERY_BROKER_URL is not set.",
    )
    CACHE_KEY_PREFIX: str = setting("", "Prefix of every cache key, to share one server between services.")
    CACHE_TIMEOUT: Seconds = setting(300, "Default lifetime of a cache entry, in seconds.")

    def django_settings(self, context: Context) -> dict[str, Any]:
        url = self.CACHE_URL or self.REDIS_URL or "locmem://"
        config = cache_config(url, key_prefix=self.CACHE_KEY_PREFIX, timeout=self.CACHE_TIMEOUT)
        return {"CACHES": {"default": config}}
