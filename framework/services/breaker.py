"""The circuit breaker of each service: after repeated failures, calls fail at once for a cool-down."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

logger = logging.getLogger("framework.services")

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"

OPENED = "Circuit breaker of service %s opened after %d failed attempts in a row: calls fail at once for %g s"
REOPENED = "Circuit breaker of service %s opened again: the trial call failed; calls fail at once for %g s"
CLOSED_AGAIN = "Circuit breaker of service %s closed: the trial call succeeded"


class CircuitBreaker:
    """The state of calls to one service, in this process.

    Closed: calls go through, failed attempts in a row are counted. After
    `failures` of them it opens: calls fail at once for `cooldown` seconds.
    Then it is half-open: one trial call goes through (the others still fail
    at once); its success closes the breaker, its failure opens it again.
    `failures=0` turns it off. Safe to share between threads.
    """

    def __init__(self, service: str, *, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.service, self.failures, self.cooldown = service, failures, cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failed = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == OPEN and self._clock() - self._opened_at >= self.cooldown:
                return HALF_OPEN
            return self._state

    @property
    def failed_in_a_row(self) -> int:
        return self._failed

    def retry_after(self) -> float:
        """Seconds until a trial call may go through (0 when calls go through now)."""
        with self._lock:
            if self._state != OPEN:
                return 0.0
            return max(0.0, self.cooldown - (self._clock() - self._opened_at))

    def allow(self) -> bool:
        """May an attempt go through now? While half-open, True for the one trial only."""
        if not self.failures:
            return True
        with self._lock:
            if self._state == CLOSED:
                return True
            if self._state == OPEN and self._clock() - self._opened_at >= self.cooldown:
                self._state = HALF_OPEN
            if self._state == HALF_OPEN and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def succeeded(self) -> None:
        if not self.failures:
            return
        with self._lock:
            was = self._state
            self._state, self._failed, self._trial_running = CLOSED, 0, False
        if was != CLOSED:
            logger.info(CLOSED_AGAIN, self.service, extra={"service": self.service, "breaker": CLOSED})

    def failed(self) -> None:
        if not self.failures:
            return
        with self._lock:
            self._failed += 1
            if self._state == HALF_OPEN:
                message, args = REOPENED, (self.service, self.cooldown)
            elif self._state == CLOSED and self._failed >= self.failures:
                message, args = OPENED, (self.service, self._failed, self.cooldown)
            else:
                return
            self._state, self._opened_at, self._trial_running = OPEN, self._clock(), False
        logger.warning(message, *args, extra={"service": self.service, "breaker": OPEN})

    def abandoned(self) -> None:
        """The attempt let through ended without a verdict on the service (the caller's own error)."""
        with self._lock:
            self._trial_running = False
