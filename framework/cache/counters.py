"""Counts in a window of time, kept in a cache and shared by every process that uses it: what throttles count with."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WindowCount:
    """A count, and the seconds left before its window ends and counting starts again from 0."""

    value: int
    seconds_left: float


def count_in_window(cache: Any, key: str, window: float, *, add: int = 1) -> WindowCount | None:
    """Add `add` to the count under `key` in `cache` (0: read it), in a window of `window` seconds
    that the first call starts; None when the cache cannot be reached.

    On the framework's Redis cache the addition and the read are one atomic
    round trip, so parallel requests on any number of processes and hosts never
    overshoot. Other caches add with `add()` and `incr()`: atomic within a
    process for local memory (which is per process), across processes for Memcached.
    """
    counter = getattr(cache, "count_in_window", None)
    if counter is not None:
        found = counter(key, window, add=add)
        return None if found is None else WindowCount(*found)
    return _count_with_incr(cache, key, window, add)


def _count_with_incr(cache: Any, key: str, window: float, add: int) -> WindowCount:
    now = time.time()
    # The window's start is kept beside the count, so that the time left can be told.
    started_key = f"{key}:started"
    cache.add(started_key, now, window)
    for _ in range(2):
        cache.add(key, 0, window)
        try:
            value = cache.incr(key, add) if add else cache.get(key, 0)
            break
        except ValueError:  # expired between add() and incr(): start the window again
            continue
    else:
        value = add
    started = cache.get(started_key, now)
    return WindowCount(int(value), max(0.0, started + window - now))
