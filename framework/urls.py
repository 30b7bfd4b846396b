"""The framework's URLs, included by a project at its root.

/ is a page of links in DEBUG, a 404 otherwise. Under the API's path
(FRAMEWORK["API_PATH_PREFIX"], /api/): the API's index, v1/ (the viewsets
apps register in their `api.py`), the token endpoints at v1/auth/ (see
framework.auth.urls), the OpenAPI schema at schema/ with Swagger UI at docs/
and Redoc at redoc/. The health endpoints at /health/ and /health/ready/, the metrics
at /metrics (framework.observability.views).
The paths are made when Django loads the URLconf; drf-spectacular's views are
imported on their first request, not in every process.
"""

from django.urls import include, path

from .api.index import api_index, front_door
from .api.routers import discover
from .conf import framework_settings
from .lazy import lazy_view
from .observability.views import metrics

api = framework_settings.API_PATH_PREFIX.lstrip("/")

urlpatterns = [
    path("", front_door, name="front-door"),
    path(api, api_index, name="api-index"),
    path(f"{api}v1/auth/", include("framework.auth.urls")),
    path(f"{api}v1/", include(discover().urls)),
    path(f"{api}schema/", lazy_view("drf_spectacular.views.SpectacularAPIView"), name="schema"),
    path(f"{api}docs/", lazy_view("drf_spectacular.views.SpectacularSwaggerView", url_name="schema"), name="swagger-ui"),
    path(f"{api}redoc/", lazy_view("drf_spectacular.views.SpectacularRedocView", url_name="schema"), name="redoc"),
    path("health/", include("framework.health.urls")),
    # Where Prometheus looks by default.
    path("metrics", metrics, name="metrics"),
]
