"""Forks of a worker's pool never copy a thread's half-done database call.

A prefork worker forks its pool processes at start, and again whenever one
exits (killed, `max_tasks_per_child`). Its main process also runs threads
that use the database (the outbox's relay, the metrics scrape). A fork copies
only the forking thread: if another one was inside SQLite at that instant, the
child holds SQLite's internal locks with no thread to release them, and its
first query waits forever (libpq and OpenSSL have locks of the same kind).
So those threads do their work under `no_fork()`, and a fork waits for the
work under way to end.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()


@contextmanager
def no_fork() -> Iterator[None]:
    """Hold off forks of this process until the block ends (not to be nested)."""
    with _lock:
        yield


# Registered after logging's own hook: Python calls the `before` hooks newest first,
# so a thread under no_fork() can still log while a fork waits for it.
os.register_at_fork(before=_lock.acquire, after_in_parent=_lock.release, after_in_child=_lock.release)
