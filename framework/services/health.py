"""The readiness check of each critical service: not ready while its circuit breaker is open."""

from __future__ import annotations

from django.core import checks

from framework.health.registry import Check

from .breaker import HALF_OPEN, OPEN
from .config import ServiceConfig, declared
from .registry import registry

BREAKER_OPEN = "circuit breaker open after {count} failed attempts in a row: calls fail at once for {seconds:.0f} s more"
BREAKER_TRIAL = "circuit breaker half-open: the next call is a trial"


def service_check(name: str) -> Check:
    def check_service() -> list[checks.CheckMessage]:
        # The breaker's state, as this process's calls made it: no call is made to the service.
        breaker = registry.breakers().get(name)
        if breaker is None:
            return []
        state = breaker.state
        if state == OPEN:
            return [checks.Error(BREAKER_OPEN.format(count=breaker.failed_in_a_row, seconds=breaker.retry_after()))]
        if state == HALF_OPEN:
            return [checks.Warning(BREAKER_TRIAL)]
        return []

    return Check(f"service.{name}", check_service)


def service_checks() -> list[Check]:
    """A check for each service declared critical (SERVICE_<NAME>_CRITICAL)."""
    return [
        service_check(name)
        for name, values in declared().items()
        if values.get("URL") and ServiceConfig.from_settings(name, values).critical
    ]
