"""REST API settings: page sizes and the request size limit, and DRF's REST_FRAMEWORK."""

from __future__ import annotations

from typing import Any

from ..schema import Context, Schema, setting
from ..types import PositiveInt
from .auth import AuthSettings

#: The path under which requests are API requests: errors in the error format, CORS, the API's URLs.
API_PATH_PREFIX = "/api/"


class ApiSettings(Schema):
    title = "REST API"
    framework_fields = ("API_MAX_PAGE_SIZE", "MAX_REQUEST_BODY_SIZE")

    API_PAGE_SIZE: PositiveInt = setting(20, "Rows in a page of a list, unless `?page_size=` asks for another size.")
    API_MAX_PAGE_SIZE: PositiveInt = setting(100, "The largest `?page_size=` honoured; larger asks get this size.")
    MAX_REQUEST_BODY_SIZE: PositiveInt = setting(
        10 * 1024 * 1024, "Largest request body accepted, in bytes; a larger one is refused with 413."
    )

    def framework_values(self) -> dict[str, Any]:
        return {**super().framework_values(), "API_PATH_PREFIX": API_PATH_PREFIX}

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            # Django's own limit on a read body, for bodies sent without a Content-Length.
            "DATA_UPLOAD_MAX_MEMORY_SIZE": self.MAX_REQUEST_BODY_SIZE,
            "REST_FRAMEWORK": {
                # Authentication, permissions and throttling: see AuthSettings.
                **context[AuthSettings].rest_framework(),
                # DRF's renderers and parsers, with JSON written and read by orjson (same bytes, same data).
                "DEFAULT_RENDERER_CLASSES": [
                    "framework.api.renderers.JSONRenderer",
                    "rest_framework.renderers.BrowsableAPIRenderer",
                ],
                "DEFAULT_PARSER_CLASSES": [
                    "framework.api.parsers.JSONParser",
                    "rest_framework.parsers.FormParser",
                    "rest_framework.parsers.MultiPartParser",
                ],
                "DEFAULT_PAGINATION_CLASS": "framework.api.pagination.PageNumberPagination",
                "PAGE_SIZE": self.API_PAGE_SIZE,
                "DEFAULT_FILTER_BACKENDS": [
                    "django_filters.rest_framework.DjangoFilterBackend",
                    "rest_framework.filters.SearchFilter",
                    "framework.api.filters.OrderingFilter",
                ],
                "DEFAULT_SCHEMA_CLASS": "framework.api.schema.AutoSchema",
                "EXCEPTION_HANDLER": "framework.api.handlers.exception_handler",
            },
        }
