"""Caching: a Redis backend that outlives outages, and response caching for viewsets.

    from framework.cache import CacheResponsesMixin, cache_response, invalidate

The names are imported on first use: Django imports this package for the cache
backend, before DRF (which the response caching needs) can be imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framework.lazy import facade

if TYPE_CHECKING:
    from .responses import CacheResponsesMixin, cache_response, invalidate

NAMES = {"CacheResponsesMixin": ".responses", "cache_response": ".responses", "invalidate": ".responses"}
__all__ = sorted(NAMES)
__getattr__, __dir__ = facade(__name__, NAMES)
