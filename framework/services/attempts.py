"""One call's attempts: the time budget, the breaker's say, and the verdict on each outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from .breaker import OPEN, CircuitBreaker
from .config import ServiceConfig
from .exceptions import RemoteClientError, RemoteError, RemoteServerError, ServiceTimeout, ServiceUnavailable
from .retry import may_retry, next_wait, retry_after, retry_status

BREAKER_OPEN = "{service}: {method} {path} not tried: the circuit breaker is open after repeated failures"
UNREACHABLE = "{service}: {method} {path} could not reach {url}: {error}"
TIMED_OUT = (
    "{service}: {method} {path} did not answer in time ({error}): {attempts} attempt(s) in {elapsed:.1f} s "
    "(timeouts: connect {connect:g} s, read {read:g} s, all attempts {budget:g} s)"
)
ANSWERED = "{service}: {method} {path} answered {status}"
NOT_JSON = "{service}: {method} {path} answered {status} with {content_type}, not JSON"
#: How much of a remote error's detail goes into the message (for the log): enough to recognise it.
DETAIL_LENGTH = 200

#: The failures of a connection that are worth another attempt (for a call that may be repeated).
RETRY_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class Attempts:
    """The attempts of one call: `start()` before each (its timeouts, or an error when no attempt may be
    made), then `answered()` or `failed()` with its outcome, which say whether to wait and try again."""

    def __init__(
        self,
        config: ServiceConfig,
        breaker: CircuitBreaker,
        method: str,
        path: str,
        *,
        idempotency_key: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config, self.breaker, self.method, self.path = config, breaker, method, path
        self.repeatable = may_retry(method, idempotency_key=idempotency_key)
        self.clock = clock
        self.started = clock()
        self.count = 0

    def _where(self) -> dict[str, Any]:
        return {"service": self.config.name, "method": self.method, "path": self.path}

    def remaining(self) -> float:
        return self.config.total_timeout - (self.clock() - self.started)

    def start(self) -> httpx.Timeout:
        """The timeouts of the next attempt, within what is left of the budget; ServiceUnavailable when
        the breaker lets no call through."""
        if not self.breaker.allow():
            error = ServiceUnavailable(BREAKER_OPEN.format(**self._where()), **self._where())
            error.retry_after = self.breaker.retry_after() or None
            raise error
        self.count += 1
        left = max(self.remaining(), 0.001)
        connect, read = min(self.config.connect_timeout, left), min(self.config.read_timeout, left)
        return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)

    def _wait(self, asked: float | None = None) -> float | None:
        if not self.repeatable or self.count > self.config.retries:
            return None
        if self.breaker.state == OPEN:
            return None  # this attempt opened it: the call ends with its own error, not "breaker open"
        return next_wait(self.count, base=self.config.retry_backoff, remaining=self.remaining(), asked=asked)

    def answered(self, response: httpx.Response) -> float | None:
        """None when the answer is the call's; else the seconds to wait before the next attempt.
        Raises the remote error when the answer is an error not worth another attempt."""
        status = response.status_code
        if status >= 500:
            self.breaker.failed()
        else:
            self.breaker.succeeded()
        if status < 400:
            return None
        if retry_status(status):
            wait = self._wait(asked=retry_after(response.headers))
            if wait is not None:
                return wait
        raise remote_error(response, **self._where())

    def failed(self, error: Exception) -> float:
        """The seconds to wait before the next attempt after `error`, an httpx error; else raises
        ServiceTimeout or ServiceUnavailable, from it."""
        if not isinstance(error, httpx.TransportError):
            self.breaker.abandoned()
            raise error
        self.breaker.failed()
        if isinstance(error, RETRY_ERRORS):
            wait = self._wait()
            if wait is not None:
                return wait
        where = self._where()
        detail = str(error) or type(error).__name__
        if isinstance(error, httpx.TimeoutException):
            config = self.config
            message = TIMED_OUT.format(
                **where,
                error=type(error).__name__,
                attempts=self.count,
                elapsed=self.clock() - self.started,
                connect=config.connect_timeout,
                read=config.read_timeout,
                budget=config.total_timeout,
            )
            raise ServiceTimeout(message, **where) from error
        raise ServiceUnavailable(UNREACHABLE.format(**where, url=self.config.url, error=detail), **where) from error

    def abandoned(self) -> None:
        self.breaker.abandoned()


def problem_of(response: httpx.Response) -> dict[str, Any]:
    """The answer's body when it is a JSON object (a problem, RFC 9457 or the framework's), else {}."""
    if "json" not in response.headers.get("content-type", ""):
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def remote_error(response: httpx.Response, *, service: str, method: str, path: str) -> RemoteError:
    """The typed error of an error answer: RemoteClientError for 4xx, RemoteServerError for 5xx."""
    problem = problem_of(response)
    code = problem.get("code") if isinstance(problem.get("code"), str) else None
    detail = problem.get("detail") or problem.get("title")
    detail = detail if isinstance(detail, str) else None
    errors = problem.get("errors")
    errors = [error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else []
    request_id = response.headers.get("x-request-id") or problem.get("request_id")
    request_id = request_id if isinstance(request_id, str) else None
    message = ANSWERED.format(service=service, method=method, path=path, status=response.status_code)
    if code:
        message += f" {code}"
    if detail:
        message += f": {detail[:DETAIL_LENGTH]}"
    if request_id:
        message += f" (remote request id {request_id})"
    kind = RemoteClientError if response.status_code < 500 else RemoteServerError
    return kind(
        message,
        service=service,
        method=method,
        path=path,
        status=response.status_code,
        code=code,
        detail=detail,
        errors=errors,
        request_id=request_id,
        content_type=response.headers.get("content-type", ""),
    )


def not_json(response: httpx.Response, *, service: str, method: str, path: str) -> RemoteServerError:
    content_type = response.headers.get("content-type", "") or "no content type"
    message = NOT_JSON.format(service=service, method=method, path=path, status=response.status_code, content_type=content_type)
    request_id = response.headers.get("x-request-id")
    if request_id:
        message += f" (remote request id {request_id})"
    return RemoteServerError(
        message,
        service=service,
        method=method,
        path=path,
        status=response.status_code,
        request_id=request_id,
        content_type=content_type,
    )
