"""Running checks, each in its own thread with its own timeout, and the report they make.

Readiness is called by anyone who can reach the URL, so a run is bounded in every
way: the results are kept for READY_CACHE_SECONDS, one run at a time (a call that
comes during a run waits for it and takes its results), each check bounded by its
timeout, and a check whose thread is still running from an earlier run is not
started again: it is reported as not answering, so a hung check holds one thread,
however many calls come.
"""

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
from django.core.signals import setting_changed
from django.db import connections

import framework
from framework.conf import framework_settings
from framework.conf.masking import Masker

from .builtin import builtin_checks
from .registry import Check, registered

logger = logging.getLogger("framework.health")

OK, WARNING, ERROR = "ok", "warning", "error"
TIMED_OUT = "did not answer within {seconds:g} s"
STILL_RUNNING = "still running since an earlier call, which it did not answer within {seconds:g} s"
#: Seconds the results of a run answer the calls that follow it.
READY_CACHE_SECONDS = 1.0
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


_lock = threading.Lock()
_last: tuple[float, tuple[Any, ...], list[Result]] | None = None
# The thread of each check that did not answer in time, while it runs on.
_overdue: dict[tuple[str, Any], threading.Thread] = {}


def _identity(check: Check) -> tuple[str, Any]:
    # By code, not by function: the built-in checks are closures made anew for each run.
    function = getattr(check.function, "__func__", check.function)
    return check.name, getattr(function, "__code__", function)


def run(selected: list[Check] | None = None, *, cached: bool = True) -> list[Result]:
    """The results of the checks: run at once, each in a thread of its own, one that hangs an
    error after its timeout; or, with `cached`, those of a run less than READY_CACHE_SECONDS old.

    Runs are one at a time: a call during a run waits for it (its checks' timeouts bound the
    wait) and takes its results. A hung check's thread cannot be interrupted: it is a daemon
    thread, stopped with the process, and no other is started for that check until it ends.
    """
    global _last
    found = selected if selected is not None else all_checks()
    key = tuple((*_identity(check), check.timeout) for check in found)
    with _lock:
        if cached and _last is not None and _last[1] == key and time.monotonic() - _last[0] < READY_CACHE_SECONDS:
            return list(_last[2])
        results = _run_now(found)
        _last = (time.monotonic(), key, results)
        return list(results)


def forget() -> None:
    """Drop the kept results: the next call runs the checks (settings changed, a test's own checks)."""
    global _last
    with _lock:
        _last = None


def _run_now(found: list[Check]) -> list[Result]:
    default_timeout = framework_settings.HEALTH_CHECK_TIMEOUT
    started = time.monotonic()
    running: list[tuple[Check, threading.Thread | None, Result]] = []
    for check in found:
        result = Result(check.name)
        overdue = _overdue.get(_identity(check))
        if overdue is not None and overdue.is_alive():
            message = STILL_RUNNING.format(seconds=check.timeout or default_timeout)
            running.append((check, None, Result(check.name, status=ERROR, errors=[message])))
            continue
        # The caller's context (its request id) goes along into the check's log lines.
        context = contextvars.copy_context()
        thread = threading.Thread(
            target=context.run, args=(_run_one, check, result), name=f"health-{check.name}", daemon=True
        )
        thread.start()
        running.append((check, thread, result))
    results = []
    for check, thread, result in running:
        if thread is None:
            results.append(result)
            continue
        timeout = check.timeout or default_timeout
        thread.join(max(0.0, started + timeout - time.monotonic()))
        if thread.is_alive():
            _overdue[_identity(check)] = thread
            message = TIMED_OUT.format(seconds=timeout)
            logger.warning("Health check %s %s", check.name, message)
            result = Result(check.name, status=ERROR, ms=round(timeout * 1000, 1), errors=[message])
        else:
            _overdue.pop(_identity(check), None)
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


def report(
    results: list[Result] | None = None, *, show_versions: bool | None = None, show_checks: bool = True
) -> dict[str, Any]:
    """The health document: status, service, the versions (when `show_versions`, by default as
    HEALTH_SHOW_VERSIONS says), and each check's result when checks ran and `show_checks`."""
    body: dict[str, Any] = {"status": overall(results or []), "service": service()}
    if show_versions if show_versions is not None else framework_settings.HEALTH_SHOW_VERSIONS:
        body["versions"] = versions()
    if results is not None and show_checks:
        body["checks"] = {result.name: result.as_json() for result in results}
    return body


def _forget_on_change(*, setting: str, **kwargs: Any) -> None:
    forget()


setting_changed.connect(_forget_on_change, dispatch_uid="framework.health.runner.forget")
