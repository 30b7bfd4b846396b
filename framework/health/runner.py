"""Running checks, each in its own thread with its own timeout, and the report they make."""

from __future__ import annotations

import contextvars
import logging
import platform
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import django
from django.conf import settings
from django.core import checks
from django.db import connections

import framework
from framework.conf import framework_settings
from framework.conf.masking import Masker

from .builtin import builtin_checks
from .registry import Check, registered

logger = logging.getLogger("framework.health")

OK, WARNING, ERROR = "ok", "warning", "error"
TIMED_OUT = "did not answer within {seconds:g} s"
RAISED = "raised {name}; the log has the details"
_masker = Masker()


@dataclass
class Result:
    name: str
    status: str = OK
    ms: float = 0.0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The exception's own text: for the log and the shell, never for the HTTP response.
    detail: str | None = None

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "ms": self.ms}
        if self.errors:
            body["errors"] = self.errors
        if self.warnings:
            body["warnings"] = self.warnings
        return body


def _run_one(check: Check, result: Result) -> None:
    started = time.perf_counter()
    try:
        messages = list(check.function() or [])
    except Exception as error:  # noqa: BLE001 -- any failure of a check makes it an error
        result.errors.append(RAISED.format(name=type(error).__name__))
        # One line: a driver's message may span several.
        result.detail = _masker.mask_text(" ".join(f"{type(error).__name__}: {error}".split()))
        logger.warning("Health check %s failed: %s", check.name, result.detail)
    else:
        for message in messages:
            (result.errors if message.level >= checks.ERROR else result.warnings).append(str(message.msg))
    finally:
        # Connections belong to the thread that opened them: this one ends here.
        connections.close_all()
        result.ms = round((time.perf_counter() - started) * 1000, 1)
    result.status = ERROR if result.errors else WARNING if result.warnings else OK


def run(selected: list[Check] | None = None) -> list[Result]:
    """Run the checks at once, each in a thread of its own; one that hangs is an error after its timeout.

    A hung check's thread is left behind (a daemon thread, stopped with
    the process): nothing can interrupt it, but nobody waits for it.
    """
    default_timeout = framework_settings.HEALTH_CHECK_TIMEOUT
    started = time.monotonic()
    running = []
    for check in selected if selected is not None else all_checks():
        result = Result(check.name)
        # The caller's context (its request id) goes along into the check's log lines.
        context = contextvars.copy_context()
        thread = threading.Thread(
            target=context.run, args=(_run_one, check, result), name=f"health-{check.name}", daemon=True
        )
        thread.start()
        running.append((check, thread, result))
    results = []
    for check, thread, result in running:
        timeout = check.timeout or default_timeout
        thread.join(max(0.0, started + timeout - time.monotonic()))
        if thread.is_alive():
            message = TIMED_OUT.format(seconds=timeout)
            logger.warning("Health check %s %s", check.name, message)
            result = Result(check.name, status=ERROR, ms=round(timeout * 1000, 1), errors=[message])
        results.append(result)
    return results


def all_checks() -> list[Check]:
    return builtin_checks() + registered()


def service() -> dict[str, Any]:
    return {
        "name": framework_settings.SERVICE_NAME or settings.ROOT_URLCONF.partition(".")[0],
        "version": framework_settings.SERVICE_VERSION,
        "build": framework_settings.SERVICE_BUILD,
    }


def versions() -> dict[str, str]:
    return {"python": platform.python_version(), "django": django.get_version(), "framework": framework.__version__}


def overall(results: list[Result]) -> str:
    statuses = {result.status for result in results}
    return ERROR if ERROR in statuses else WARNING if WARNING in statuses else OK


def report(results: list[Result] | None = None) -> dict[str, Any]:
    """The health document: status, service, versions, and each check's result when checks ran."""
    body: dict[str, Any] = {
        "status": overall(results or []),
        "service": service(),
        "versions": versions(),
    }
    if results is not None:
        body["checks"] = {result.name: result.as_json() for result in results}
    return body
