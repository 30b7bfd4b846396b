"""The REST API layer: base viewsets, the router apps register with, one error format, pagination and filters.

    from framework.api import ModelViewSet, router

The names are imported on first use: DRF imports this package for the backends
its settings name while its own modules are still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framework.lazy import facade

if TYPE_CHECKING:
    from .exceptions import APIError, PayloadTooLarge, ServiceUnavailable
    from .filters import OrderingFilter
    from .pagination import PageNumberPagination
    from .problems import problem, problem_response
    from .routers import router
    from .viewsets import GenericViewSet, ModelViewSet, ReadOnlyModelViewSet

NAMES = {
    "APIError": ".exceptions",
    "GenericViewSet": ".viewsets",
    "ModelViewSet": ".viewsets",
    "OrderingFilter": ".filters",
    "PageNumberPagination": ".pagination",
    "PayloadTooLarge": ".exceptions",
    "ReadOnlyModelViewSet": ".viewsets",
    "ServiceUnavailable": ".exceptions",
    "problem": ".problems",
    "problem_response": ".problems",
    "router": ".routers",
}
__all__ = sorted(NAMES)
__getattr__, __dir__ = facade(__name__, NAMES)
