"""Errors shared by the framework's concerns. Imports nothing, so that any layer can catch them."""

from __future__ import annotations


class DependencyError(Exception):
    """A service the work needs failed to do its part (another service answered an error...).

    In an API view it is answered with its `api_status`: 502 `bad_gateway` here,
    503 or 504 in subclasses. The message, which may name the service and
    its address, goes to the log, not to the caller.
    """

    #: The status an API view answers when this error is not handled: 502, 503 or 504.
    api_status = 502
    #: Seconds after which the caller may try again (the answer's Retry-After), when known.
    retry_after: float | None = None


class DependencyUnavailable(DependencyError):
    """A service the work needs (the task broker...) did not answer in time: try again later.

    In an API view it is answered with 503 `service_unavailable` (504
    `gateway_timeout` for a subclass that says so); the message goes to the log.
    """

    api_status = 503
