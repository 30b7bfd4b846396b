"""The API router: every app adds its viewsets in its own `api.py`, mounted under /api/v1/."""

from django.utils.module_loading import autodiscover_modules
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def discover() -> DefaultRouter:
    """Import each installed app's `api` module, so that its registrations are in `router`."""
    autodiscover_modules("api")
    return router
