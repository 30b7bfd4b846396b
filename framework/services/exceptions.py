"""The errors of a call to another service: what the remote answered, or why it could not answer."""

from __future__ import annotations

from typing import Any

from framework.exceptions import DependencyError, DependencyUnavailable

NOT_DECLARED = (
    "no service named {name!r} is declared (declared: {names}); list it in the settings module, "
    "configure(globals(), services=[...]), and set SERVICE_{upper}_URL"
)


class ServiceNotDeclared(LookupError):
    """The code calls a service the settings do not declare: a mistake to fix, not an outage."""


class ServiceError(DependencyError):
    """A call to the service `service` failed. Unhandled in an API view, it answers 502, 503 or 504
    in the error format; its message, for the log, names the service, the call and what happened."""

    def __init__(self, message: str, *, service: str, method: str = "", path: str = "") -> None:
        super().__init__(message)
        self.service, self.method, self.path = service, method, path


class RemoteError(ServiceError):
    """The service answered with an error status: what its body said, when it is in the problem format
    (RFC 9457, or the framework's own, with `code`, `errors` and `request_id`)."""

    def __init__(
        self,
        message: str,
        *,
        service: str,
        method: str = "",
        path: str = "",
        status: int,
        code: str | None = None,
        detail: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
        content_type: str = "",
    ) -> None:
        super().__init__(message, service=service, method=method, path=path)
        #: The remote answer's status, and what its problem body says (None when it has none).
        self.status = status
        self.code, self.detail, self.errors = code, detail, errors or []
        #: The id the remote service logged the call under (its X-Request-ID), to look it up there.
        self.remote_request_id = request_id
        self.content_type = content_type


class RemoteClientError(RemoteError):
    """The service answered 4xx: the call was refused (not found, invalid fields, not allowed...).
    Never retried, except 429. Unhandled in a view: 502 (a 429: 503, try again later)."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        if self.status == 429:
            self.api_status = 503


class RemoteServerError(RemoteError):
    """The service answered 5xx, or an answer that could not be read (JSON expected, something else
    given). Unhandled in a view: 502; the service's own 503 or 504: the same status."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        if self.status in (503, 504):
            self.api_status = self.status


class ServiceUnavailable(ServiceError, DependencyUnavailable):
    """The service could not be reached (refused, reset, unknown host), or its circuit breaker is open
    and the call was not even tried. Unhandled in a view: 503."""

    api_status = 503


class ServiceTimeout(ServiceUnavailable):
    """The service did not answer within the timeouts or the call's time budget. Unhandled in a view: 504."""

    api_status = 504
