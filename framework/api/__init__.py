"""The REST API layer: the router apps register their viewsets with."""

from .routers import router

__all__ = ["router"]
