"""Errors shared by the framework's concerns. Imports nothing, so that any layer can catch them."""

from __future__ import annotations


class DependencyUnavailable(Exception):
    """A service the work needs (the task broker...) did not answer in time: try again later.

    In an API view it is answered with 503 `service_unavailable`; the message,
    which may name the service and its address, goes to the log, not to the caller.
    """
