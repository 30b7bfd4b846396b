"""A Redis cache that an outage turns into misses, not errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import AuthenticationError, AuthorizationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from framework.conf.masking import mask_url

logger = logging.getLogger("framework.cache")

T = TypeVar("T")

#: What "Redis is unreachable" looks like to redis-py (refused, reset, DNS, timeouts, loading).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError)
#: Connection errors that are mistakes in the configuration, not outages: raised, to be seen at once.
CONFIGURATION_ERRORS = (AuthenticationError, AuthorizationError)

#: Add ARGV[2] to the count under KEYS[1]; a count without an expiry (a new one) gets ARGV[1] ms.
#: Answers the count and the milliseconds left: one round trip, atomic.
COUNT_IN_WINDOW = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
"""

OUTAGE_WARNING = (
    "The cache at %s is unreachable (%s): serving without it, as misses, "
    "for the next %s seconds before trying again."
)
BACK_WARNING = "The cache at %s is reachable again."


class _Outages:
    """When each Redis location was last found down, shared by every thread of the process.

    Django makes one cache object per thread: the state cannot live on it,
    or each thread would pay its own timeouts and log its own warning.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until: dict[str, float] = {}

    def is_down(self, location: str) -> bool:
        until = self._down_until.get(location)
        return until is not None and time.monotonic() < until

    def went_down(self, location: str, seconds: float) -> bool:
        """Record an outage; True for the first failure of an interval (the one to log)."""
        with self._lock:
            now = time.monotonic()
            until = self._down_until.get(location)
            self._down_until[location] = now + seconds
            return until is None or now >= until

    def came_back(self, location: str) -> bool:
        with self._lock:
            return self._down_until.pop(location, None) is not None


outages = _Outages()


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, degraded to a cache that always misses while Redis is unreachable.

    The first failed call logs one warning; for `RETRY_AFTER` seconds (an
    `OPTIONS` key, default 5) calls do not touch the network at all, then the
    next call tries again. Reads answer as misses (`get` gives the default),
    writes are dropped (`add`, `touch`, `delete` answer False; `incr` raises
    ValueError, as for a missing key), so every caller, throttling included,
    keeps working from the database. Other Redis errors, a wrong password
    among them, are raised as usual.
    """

    retry_after: float = 5.0

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.retry_after = float(options.pop("RETRY_AFTER", self.retry_after))
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)

    def _call(self, call: Callable[[], T], fallback: T) -> T:
        if outages.is_down(self._location):
            return fallback
        try:
            result = call()
        except CONFIGURATION_ERRORS:
            raise
        except OUTAGE_ERRORS as error:
            if outages.went_down(self._location, self.retry_after):
                logger.warning(OUTAGE_WARNING, _masked(self._location), error, self.retry_after)
            return fallback
        if outages.came_back(self._location):
            logger.warning(BACK_WARNING, _masked(self._location))
        return result

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda: super(RedisCache, self).add(key, value, timeout, version), False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._call(lambda: super(RedisCache, self).get(key, default, version), default)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._call(lambda: super(RedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._call(lambda: super(RedisCache, self).touch(key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(RedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._call(lambda: super(RedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._call(lambda: super(RedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        result = self._call(lambda: super(RedisCache, self).incr(key, delta, version), missing)
        if result is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unreachable).")
        return result

    def count_in_window(self, key: Any, window: float, *, add: int = 1, version: int | None = None) -> tuple[int, float] | None:
        """Add `add` to the count under `key` and answer (count, seconds left in its window), atomically.

        A count starts at 0 with the first call and lasts `window` seconds; every
        process sharing this Redis adds to the same one. None while Redis is unreachable.
        """
        key = self.make_and_validate_key(key, version=version)

        def count() -> tuple[int, float]:
            # Django's RedisCacheClient picks the server a key lives on (public since Django 4.0, undocumented).
            client = self._cache.get_client(key, write=True)
            value, left = client.eval(COUNT_IN_WINDOW, 1, key, max(1, int(window * 1000)), add)
            return int(value), int(left) / 1000

        return self._call(count, None)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> list[Any]:
        # Django's contract: the keys that were not stored.
        return self._call(lambda: super(RedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._call(lambda: super(RedisCache, self).delete_many(keys, version), None)

    def clear(self) -> bool:
        return self._call(lambda: super(RedisCache, self).clear(), False)


def _masked(location: str) -> str:
    return mask_url(location)
