"""Per process, for each service: its settings, its circuit breaker, and its connection pools (sync and async)."""

from __future__ import annotations

import asyncio
import os
import threading
from typing import Any
from weakref import WeakKeyDictionary

import httpx
from django.core.signals import setting_changed

from .breaker import CircuitBreaker
from .config import ServiceConfig, get_config

#: What a client sends on every call to identify itself, besides the credentials.
USER_AGENT = "framework-services"


class Registry:
    """What each service's calls share in this process. Made anew after a fork (each process its own
    pools and breakers) and when the FRAMEWORK setting changes (a test's override)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._configs: dict[str, ServiceConfig] = {}
        self._breakers: dict[str, CircuitBreaker] = {}
        self._clients: dict[str, httpx.Client] = {}
        # An async pool belongs to the event loop it was made in.
        self._async_clients: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, httpx.AsyncClient]] = WeakKeyDictionary()
        #: Testing: a service's transport in place of the network, and its settings in place of FRAMEWORK's.
        self.transports: dict[str, Any] = {}
        self.overrides: dict[str, ServiceConfig] = {}

    def config(self, name: str) -> ServiceConfig:
        try:
            return self._configs[name]
        except KeyError:
            pass
        config = self.overrides.get(name) or get_config(name)
        with self._lock:
            return self._configs.setdefault(name, config)

    def breaker(self, name: str) -> CircuitBreaker:
        try:
            return self._breakers[name]
        except KeyError:
            pass
        config = self.config(name)
        with self._lock:
            return self._breakers.setdefault(
                name, CircuitBreaker(name, failures=config.breaker_failures, cooldown=config.breaker_cooldown)
            )

    def breakers(self) -> dict[str, CircuitBreaker]:
        """The breakers made so far (a service not called yet has none: it counts as closed)."""
        return dict(self._breakers)

    def client(self, name: str) -> httpx.Client:
        try:
            return self._clients[name]
        except KeyError:
            pass
        config = self.config(name)
        with self._lock:
            if name not in self._clients:
                self._clients[name] = httpx.Client(transport=self.transports.get(name), **_options(config))
            return self._clients[name]

    def async_client(self, name: str) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        pools = self._async_clients.get(loop)
        if pools is not None and name in pools:
            return pools[name]
        config = self.config(name)
        with self._lock:
            pools = self._async_clients.setdefault(loop, {})
            if name not in pools:
                pools[name] = httpx.AsyncClient(transport=self.transports.get(name), **_options(config))
            return pools[name]

    def reset(self, *, close: bool = True) -> None:
        """Forget every pool, breaker and setting; close the sync pools unless told not to (after a fork,
        the connections are the parent's)."""
        with self._lock:
            clients = list(self._clients.values())
            self._configs, self._breakers, self._clients = {}, {}, {}
            self._async_clients = WeakKeyDictionary()
        if close:
            for client in clients:
                client.close()


def _options(config: ServiceConfig) -> dict[str, Any]:
    headers = {"User-Agent": USER_AGENT}
    if config.token:
        headers["Authorization"] = f"Bearer {config.token}"
    if config.api_key:
        headers["X-API-Key"] = config.api_key
    return {
        "base_url": config.url,
        "headers": headers,
        "timeout": httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
        # A redirect is an answer to show the caller, not to follow with the credentials.
        "follow_redirects": False,
    }


registry = Registry()


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "FRAMEWORK":
        registry.reset()


setting_changed.connect(_reload, dispatch_uid="framework.services.registry.reload")
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=lambda: registry.reset(close=False))
