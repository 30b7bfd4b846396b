"""The framework's URLs, included by a project at its root.

/ (a page of links in DEBUG, 404 otherwise), /api/ (the API's index),
/api/v1/ (the viewsets apps register in their `api.py`), the token
endpoints at /api/v1/auth/ (see framework.auth.urls), the OpenAPI
schema at /api/schema/ with Swagger UI at /api/docs/ and Redoc at /api/redoc/,
the health endpoints at /health/ and /health/ready/.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .api.index import api_index, front_door
from .api.routers import discover

urlpatterns = [
    path("", front_door, name="front-door"),
    path("api/", api_index, name="api-index"),
    path("api/v1/auth/", include("framework.auth.urls")),
    path("api/v1/", include(discover().urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("health/", include("framework.health.urls")),
]
