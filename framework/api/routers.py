"""The API router: every app adds its viewsets in its own `api.py`, mounted under /api/v1/."""

from django.utils.module_loading import autodiscover_modules
from rest_framework import routers
from rest_framework.permissions import AllowAny


class APIRootView(routers.APIRootView):
    """The API's endpoints."""

    # It lists endpoints, not data: callers find their way before signing in.
    permission_classes = [AllowAny]


class DefaultRouter(routers.DefaultRouter):
    APIRootView = APIRootView


router = DefaultRouter()


def discover() -> DefaultRouter:
    """Import each installed app's `api` module, so that its registrations are in `router`."""
    autodiscover_modules("api")
    return router
