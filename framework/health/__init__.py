"""Health: liveness and readiness endpoints, the checks they run, and how a project adds its own.

    from django.core import checks
    from framework.health import health_check

    @health_check(timeout=5)
    def payments_api():
        if not payments.ping():
            return [checks.Error("the payments API does not answer")]
"""

from .registry import HealthCheck, health_check, registered, unregister

__all__ = ["HealthCheck", "health_check", "registered", "unregister"]
