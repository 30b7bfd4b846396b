"""A fake of a named service for tests: declared routes and answers, and the calls received. No network."""

from __future__ import annotations

import asyncio
import json as jsonlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import httpx

NO_ROUTE = "fake service {name!r} has no route {method} {path} (routes: {routes}); declare it with fake.route(...)"
UNKNOWN_ERROR = "unknown error {error!r} for a fake answer (expected one of: {choices})"
_UNSET: Any = object()

#: The failures a fake answer can be instead of an answer, as the client would meet them.
ERRORS = {
    "connect": lambda request: httpx.ConnectError("[Errno 111] Connection refused", request=request),
    "connect_timeout": lambda request: httpx.ConnectTimeout("timed out connecting", request=request),
    "read_timeout": lambda request: httpx.ReadTimeout("timed out reading", request=request),
    "disconnect": lambda request: httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request),
}


class UnexpectedCall(AssertionError):
    """A call to a route the fake service was not told about."""


@dataclass(frozen=True)
class Answer:
    status: int = 200
    json: Any = _UNSET
    content: bytes | str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Seconds before answering: past the call's read timeout, the call times out (after waiting that long).
    delay: float = 0.0
    #: One of ERRORS: the call fails this way instead of being answered.
    error: str | None = None

    def response(self, request: httpx.Request) -> httpx.Response:
        if self.error is not None:
            raise ERRORS[self.error](request)
        headers = dict(self.headers)
        if self.json is not _UNSET:
            headers.setdefault("Content-Type", "application/json")
            return httpx.Response(self.status, headers=headers, content=jsonlib.dumps(self.json).encode())
        return httpx.Response(self.status, headers=headers, content=self.content or b"")


@dataclass(frozen=True)
class Call:
    """A call the fake service received: `path` is relative to the service's URL, as the code gave it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: httpx.Headers
    content: bytes

    @property
    def json(self) -> Any:
        """The body, decoded from JSON (None when there is none)."""
        return jsonlib.loads(self.content) if self.content else None


class FakeService(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A service's stand-in, in place of the network: the `fake_service` fixture makes one.

        billing = fake_service("billing")
        billing.get("/invoices/7/", json={"id": 7})
        billing.get("/invoices/8/", status=404, problem={"code": "not_found"})
        ...
        assert billing.calls[0].headers["X-Request-ID"] == ...

    Answers declared for the same route are given in turn, the last one again
    and again: `route("GET", "/x/", status=503)` then `route("GET", "/x/")` is
    a 503, then 200s. A call to an undeclared route raises UnexpectedCall, and
    fails the test when the fixture ends even if the code caught it.
    """

    def __init__(self, name: str, base_path: str = "/") -> None:
        self.name = name
        self._base_path = base_path.rstrip("/")
        self._routes: dict[tuple[str, str], list[Answer]] = {}
        self.calls: list[Call] = []
        self.unexpected: list[str] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: Any = _UNSET,
        problem: Mapping[str, Any] | None = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        error: str | None = None,
    ) -> FakeService:
        """Declare the next answer to `method path`: a status with a JSON body, a problem (the error
        format, filled in around the keys given), raw content, after a delay, or a connection error."""
        if error is not None and error not in ERRORS:
            raise ValueError(UNKNOWN_ERROR.format(error=error, choices=", ".join(ERRORS)))
        headers = dict(headers or {})
        if problem is not None:
            json = {
                "type": "about:blank",
                "title": HTTPStatus(status).phrase,
                "status": status,
                "detail": HTTPStatus(status).description,
                **problem,
            }
            headers.setdefault("Content-Type", "application/problem+json")
        answer = Answer(status, json, content, headers, delay, error)
        self._routes.setdefault((method.upper(), path), []).append(answer)
        return self

    def get(self, path: str, **answer: Any) -> FakeService:
        return self.route("GET", path, **answer)

    def post(self, path: str, **answer: Any) -> FakeService:
        return self.route("POST", path, **answer)

    def put(self, path: str, **answer: Any) -> FakeService:
        return self.route("PUT", path, **answer)

    def patch(self, path: str, **answer: Any) -> FakeService:
        return self.route("PATCH", path, **answer)

    def delete(self, path: str, **answer: Any) -> FakeService:
        return self.route("DELETE", path, **answer)

    def calls_to(self, method: str, path: str) -> list[Call]:
        """The calls received on one route."""
        return [call for call in self.calls if call.method == method.upper() and call.path == path]

    def _receive(self, request: httpx.Request) -> Answer:
        path = request.url.path
        if self._base_path and path.startswith(self._base_path):
            path = path[len(self._base_path):] or "/"
        request.read()
        self.calls.append(Call(request.method, path, parse_qs(request.url.query.decode()), request.headers, request.content))
        answers = self._routes.get((request.method, path))
        if not answers:
            routes = ", ".join(f"{method} {route}" for method, route in self._routes) or "none"
            message = NO_ROUTE.format(name=self.name, method=request.method, path=path, routes=routes)
            self.unexpected.append(message)
            raise UnexpectedCall(message)
        return answers.pop(0) if len(answers) > 1 else answers[0]

    @staticmethod
    def _read_timeout(request: httpx.Request) -> float | None:
        return (request.extensions.get("timeout") or {}).get("read")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._receive(request)
        if answer.delay:
            timeout = self._read_timeout(request)
            time.sleep(answer.delay if timeout is None else min(answer.delay, timeout))
            if timeout is not None and answer.delay > timeout:
                raise httpx.ReadTimeout("timed out reading", request=request)
        return answer.response(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._receive(request)
        if answer.delay:
            timeout = self._read_timeout(request)
            await asyncio.sleep(answer.delay if timeout is None else min(answer.delay, timeout))
            if timeout is not None and answer.delay > timeout:
                raise httpx.ReadTimeout("timed out reading", request=request)
        return answer.response(request)


def fake_services() -> Iterator[Any]:
    """The `fake_service` fixture's body: a factory, then the undoing and the check for unexpected calls."""
    from urllib.parse import urlsplit

    from framework.services.config import ServiceConfig, declared
    from framework.services.registry import registry

    fakes: list[FakeService] = []

    def fake_service(name: str, **settings: Any) -> FakeService:
        values = dict(declared().get(name) or {"URL": f"http://{name}.test"})
        values.update({key.upper(): value for key, value in settings.items()})
        config = ServiceConfig.from_settings(name, values)
        fake = FakeService(name, urlsplit(config.url).path)
        registry.transports[name], registry.overrides[name] = fake, config
        registry.reset()
        fakes.append(fake)
        return fake

    try:
        yield fake_service
    finally:
        for fake in fakes:
            registry.transports.pop(fake.name, None)
            registry.overrides.pop(fake.name, None)
        registry.reset()
    unexpected = [message for fake in fakes for message in fake.unexpected]
    if unexpected:
        import pytest

        pytest.fail("\n".join(unexpected), pytrace=False)
