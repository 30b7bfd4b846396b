"""Caching: a Redis backend that outlives outages, and response caching for viewsets.

`from framework.cache import CacheResponsesMixin, cache_response, invalidate`.
The names are loaded on first use: Django imports this package for the cache
backend, before DRF (which the response caching needs) can be imported.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CacheResponsesMixin", "cache_response", "invalidate"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import responses

        return getattr(responses, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
