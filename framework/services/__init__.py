"""Calling other services: a client per named service, with timeouts, retries, a circuit breaker and correlation.

    from framework.services import service

    invoices = service("billing").get("/invoices/", params={"customer": 7}).json()

The services a project calls are listed in its settings module,
`configure(globals(), services=["billing"])`, and configured by
`SERVICE_BILLING_URL` and the other `SERVICE_BILLING_*` variables.
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # for type checkers and the docs' reference (griffe), which do not run __getattr__
    from .client import AsyncServiceClient, ServiceClient, ServiceResponse, async_service, service

#: Loaded with the first client asked for: httpx takes a tenth of a second to import, which every
#: command paid, `check` and `migrate` included, when this package was imported for its system checks.
_CLIENT_NAMES = ("AsyncServiceClient", "ServiceClient", "ServiceResponse", "async_service", "service")


def __getattr__(name: str) -> Any:
    if name in _CLIENT_NAMES:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
