"""When a failed call is tried again, and how long to wait first: the rules, as plain functions."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

#: Methods that mean the same done twice as once (RFC 9110, 9.2.2): safe to retry.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
#: Answers that say "not now": the service is overloaded, restarting, or behind a gateway that gave up.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
#: The longest wait between two attempts, whatever the backoff or Retry-After says (the budget bounds it too).
MAX_WAIT = 30.0


def may_retry(method: str, *, idempotency_key: str | None = None) -> bool:
    """A call may be repeated: its method is idempotent, or the caller gave it an idempotency key."""
    return method.upper() in IDEMPOTENT_METHODS or bool(idempotency_key)


def retry_status(status: int) -> bool:
    """An answer with `status` is worth another attempt (never another 4xx than 429)."""
    return status in RETRY_STATUSES


def backoff(attempt: int, base: float, *, jitter: Callable[[], float] = random.random) -> float:
    """Seconds to wait before attempt `attempt + 1`, after `attempt` failed ones: `base` doubled for each,
    the second half of it random ("equal jitter"), so that callers that failed together spread out."""
    if base <= 0:
        return 0.0
    ceiling = min(MAX_WAIT, base * 2 ** (attempt - 1))
    return ceiling / 2 + jitter() * ceiling / 2


def retry_after(headers: Mapping[str, str], *, now: Callable[[], float] = time.time) -> float | None:
    """The seconds an answer's Retry-After asks for (a number of seconds, or an HTTP date), or None."""
    value = headers.get("retry-after") or headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now())


def next_wait(
    attempt: int, *, base: float, remaining: float, asked: float | None = None, jitter: Callable[[], float] = random.random
) -> float | None:
    """The wait before the next attempt, or None when none fits in the `remaining` budget.

    `asked` is the answer's Retry-After, honoured in place of the backoff; when
    it asks for longer than the budget allows, there is no next attempt.
    """
    wait = backoff(attempt, base, jitter=jitter) if asked is None else min(asked, MAX_WAIT)
    if asked is not None and asked > MAX_WAIT:
        return None
    return wait if wait < remaining else None
