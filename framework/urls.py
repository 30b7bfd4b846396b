"""The framework's URLs, included by a project at its root: the API under /api/v1/."""

from django.urls import include, path

from .api.routers import discover

urlpatterns = [
    path("api/v1/", include(discover().urls)),
]
