"""The task queue: Celery, configured from the settings schema, with safe defaults."""

from . import logging as _logging, outbox, request_id as _request_id  # noqa: F401 -- connect signal handlers
from .app import create_app, get_app
from .base import TRANSIENT_ERRORS, Task, check_broker
from .builtin import ping
from .decorators import periodic_task, task
from .exceptions import BrokerUnavailable

__all__ = [
    "TRANSIENT_ERRORS",
    "BrokerUnavailable",
    "Task",
    "check_broker",
    "create_app",
    "get_app",
    "periodic_task",
    "ping",
    "task",
]
