"""Calling other services: a client per named service, with timeouts, retries, a circuit breaker and correlation.

    from framework.services import service

    invoices = service("billing").get("/invoices/", params={"customer": 7}).json()

The services a project calls are listed in its settings module,
`configure(globals(), services=["billing"])`, and configured by
`SERVICE_BILLING_URL` and the other `SERVICE_BILLING_*` variables.
"""

from .client import AsyncServiceClient, ServiceClient, ServiceResponse, async_service, service
from .exceptions import (
    RemoteClientError,
    RemoteError,
    RemoteServerError,
    ServiceError,
    ServiceNotDeclared,
    ServiceTimeout,
    ServiceUnavailable,
)

__all__ = [
    "AsyncServiceClient",
    "RemoteClientError",
    "RemoteError",
    "RemoteServerError",
    "ServiceClient",
    "ServiceError",
    "ServiceNotDeclared",
    "ServiceResponse",
    "ServiceTimeout",
    "ServiceUnavailable",
    "async_service",
    "service",
]
