"""The client of one named service, sync and async: calls with timeouts, retries, a breaker and correlation."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx

from framework.conf.masking import Masker

from .attempts import Attempts, not_json
from .exceptions import RemoteClientError
from .correlation import correlation_headers
from .registry import registry

logger = logging.getLogger("framework.services")
_masker = Masker()

IDEMPOTENCY_HEADER = "Idempotency-Key"
NOT_A_PATH = "{service}: {path!r} is not a path; give a path relative to SERVICE_{upper}_URL, e.g. /notes/"
LOG_LINE = "%s %s %s %s in %.1f ms, %d attempt(s)"


class ServiceResponse:
    """A service's successful answer (any status below 400): its status, headers and body."""

    __slots__ = ("_response", "method", "path", "service")

    def __init__(self, response: httpx.Response, *, service: str, method: str, path: str) -> None:
        self._response, self.service, self.method, self.path = response, service, method, path

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self._response.headers

    @property
    def content(self) -> bytes:
        return self._response.content

    @property
    def text(self) -> str:
        return self._response.text

    @property
    def request_id(self) -> str | None:
        """The id the service logged the call under (its X-Request-ID)."""
        return self._response.headers.get("x-request-id")

    @property
    def http(self) -> httpx.Response:
        """The httpx response, for what this class does not show."""
        return self._response

    def json(self) -> Any:
        """The body, decoded; None for an empty body (204). RemoteServerError, naming the content type,
        when the body is not JSON."""
        if not self._response.content:
            return None
        content_type = self._response.headers.get("content-type", "")
        if "json" in content_type:
            try:
                return self._response.json()
            except ValueError:
                pass
        raise not_json(self._response, service=self.service, method=self.method, path=self.path)

    def __repr__(self) -> str:
        return f"<ServiceResponse {self.service} {self.method} {self.path} {self.status_code}>"


class _Base:
    def __init__(self, name: str) -> None:
        registry.config(name)  # ServiceNotDeclared now, not at the first call
        self.name = name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def _prepare(self, method: str, path: str, headers: Any, idempotency_key: str | None) -> tuple[str, dict[str, str]]:
        if "://" in path or not path.startswith("/"):
            raise ValueError(NOT_A_PATH.format(service=self.name, path=path, upper=self.name.upper()))
        sent = dict(headers or {})
        if idempotency_key:
            sent[IDEMPOTENCY_HEADER] = idempotency_key
        correlation_headers(sent)
        # httpx joins the path to the base URL's: /notes/ on https://host/api/v1 is /api/v1/notes/.
        return method.upper(), sent

    def _attempts(self, method: str, path: str, idempotency_key: str | None) -> Attempts:
        return Attempts(registry.config(self.name), registry.breaker(self.name), method, path, idempotency_key=idempotency_key)

    def _log(self, attempts: Attempts, outcome: Any, started: float) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        if isinstance(outcome, httpx.Response):
            status, level = outcome.status_code, logging.INFO if outcome.status_code < 500 else logging.WARNING
            result: Any = status
        else:
            # A refused call (4xx) is the service working as it should; anything else is trouble.
            status = getattr(outcome, "status", None)
            level = logging.INFO if isinstance(outcome, RemoteClientError) and status != 429 else logging.WARNING
            result = status or type(outcome).__name__
        path = _masker.mask_text(attempts.path)
        logger.log(
            level,
            LOG_LINE,
            self.name,
            attempts.method,
            path,
            result,
            duration_ms,
            attempts.count,
            extra={
                "service": self.name,
                "method": attempts.method,
                "path": path,
                "status": status,
                "duration_ms": round(duration_ms, 1),
                "attempts": attempts.count,
            },
        )


class ServiceClient(_Base):
    """Calls to the service `name`, one connection pool per process: `service("billing").get("/invoices/")`.

    Each call carries the request id and the trace context; its attempts are
    bounded by the timeouts and the budget (SERVICE_<NAME>_*_TIMEOUT); it is
    retried only when that is safe; it is logged once. An answer of 400 or more
    raises RemoteClientError or RemoteServerError; no answer raises
    ServiceTimeout or ServiceUnavailable.
    """

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: Any = None,
        headers: Any = None,
        idempotency_key: str | None = None,
    ) -> ServiceResponse:
        """Call `method path` (a path relative to the service's URL). `idempotency_key` makes a POST or
        PATCH safe to retry: it is sent as Idempotency-Key, for the service to apply the call once."""
        method, sent = self._prepare(method, path, headers, idempotency_key)
        attempts = self._attempts(method, path, idempotency_key)
        client = registry.client(self.name)
        started = time.perf_counter()
        outcome: Any = None
        try:
            while True:
                timeout = attempts.start()
                try:
                    outcome = client.request(method, path, params=params, json=json, content=content, headers=sent, timeout=timeout)
                except Exception as error:
                    outcome = error
                    wait = attempts.failed(error)
                else:
                    wait = attempts.answered(outcome)
                    if wait is None:
                        return ServiceResponse(outcome, service=self.name, method=method, path=path)
                    outcome.close()
                time.sleep(wait)
        except BaseException as error:
            outcome = error
            raise
        finally:
            self._log(attempts, outcome, started)

    def get(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("GET", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("HEAD", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("OPTIONS", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> ServiceResponse:
        return self.request("DELETE", path, **kwargs)


class AsyncServiceClient(_Base):
    """The async client of the service `name`: `await async_service("billing").get("/invoices/")`.

    The same rules as ServiceClient; one connection pool per process and event loop.
    """

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: Any = None,
        headers: Any = None,
        idempotency_key: str | None = None,
    ) -> ServiceResponse:
        """Call `method path`: see ServiceClient.request."""
        method, sent = self._prepare(method, path, headers, idempotency_key)
        attempts = self._attempts(method, path, idempotency_key)
        client = registry.async_client(self.name)
        started = time.perf_counter()
        outcome: Any = None
        try:
            while True:
                timeout = attempts.start()
                try:
                    outcome = await client.request(
                        method, path, params=params, json=json, content=content, headers=sent, timeout=timeout
                    )
                except Exception as error:
                    outcome = error
                    wait = attempts.failed(error)
                else:
                    wait = attempts.answered(outcome)
                    if wait is None:
                        return ServiceResponse(outcome, service=self.name, method=method, path=path)
                    await outcome.aclose()
                await asyncio.sleep(wait)
        except BaseException as error:
            outcome = error
            raise
        finally:
            self._log(attempts, outcome, started)

    async def get(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("GET", path, **kwargs)

    async def head(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("HEAD", path, **kwargs)

    async def options(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("OPTIONS", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("POST", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("PUT", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("PATCH", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> ServiceResponse:
        return await self.request("DELETE", path, **kwargs)


def service(name: str) -> ServiceClient:
    """The client of the declared service `name`; ServiceNotDeclared, naming the declared ones, if it is not."""
    return ServiceClient(name)


def async_service(name: str) -> AsyncServiceClient:
    """The async client of the declared service `name`."""
    return AsyncServiceClient(name)
