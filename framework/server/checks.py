"""System checks that only `manage.py serve` runs: those about the processes it is about to start."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.checks import CheckMessage, register

_serving: ContextVar[bool] = ContextVar("serving", default=False)


@contextmanager
def serving() -> Iterator[None]:
    """While in this block, the serve-only checks run with the others (`serve` wraps its system checks in it)."""
    token = _serving.set(True)
    try:
        yield
    finally:
        _serving.reset(token)


@register()
def check_serving(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not _serving.get():
        return []
    from framework.auth.checks import check_throttle_cache

    return list(check_throttle_cache(app_configs, **kwargs))
