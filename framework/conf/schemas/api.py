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
    framework_fields = (
        "API_MAX_PAGE_SIZE", "MAX_REQUEST_BODY_SIZE", "API_JSON_MAX_DEPTH", "API_MAX_FIELDS", "API_FAST_SERIALIZATION",
    )

    API_PAGE_SIZE: PositiveInt = setting(20, "Rows in a page of a list, unless `?page_size=` asks for another size.")
    API_MAX_PAGE_SIZE: PositiveInt = setting(100, "The largest `?page_size=` honoured; larger asks get this size.")
    MAX_REQUEST_BODY_SIZE: PositiveInt = setting(
        10 * 1024 * 1024, "Largest request body accepted, in bytes; a larger one is refused with 413."
    )

    API_JSON_MAX_DEPTH: PositiveInt = setting(
        64, "Deepest nesting of arrays and objects accepted in a JSON body; a deeper one is refused with 400."
    )
    API_MAX_FIELDS: PositiveInt = setting(
        1000,
        "Most keys a JSON body (counting every object's), or fields a form, may have; "
        "more is refused with 400. Also Django's DATA_UPLOAD_MAX_NUMBER_FIELDS.",
    )

    API_FAST_SERIALIZATION: bool = setting(
        True,
        "Serialize model rows without DRF's per-field calls where the output is the same "
        "(framework.api.serializers.ModelSerializer); off, DRF serializes every row.",
    )

    def framework_values(self) -> dict[str, Any]:
        return {**super().framework_values(), "API_PATH_PREFIX": API_PATH_PREFIX}

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            # Django's own limit on a read body, for bodies sent without a Content-Length.
            "DATA_UPLOAD_MAX_MEMORY_SIZE": self.MAX_REQUEST_BODY_SIZE,
            "DATA_UPLOAD_MAX_NUMBER_FIELDS": self.API_MAX_FIELDS,
            "REST_FRAMEWORK": {
                # Authentication, permissions and throttling: see AuthSettings.
                **context[AuthSettings].rest_framework(),
                # DRF's JSON renderer with orjson writing the same bytes (framework.api.renderers).
                "DEFAULT_RENDERER_CLASSES": [
                    "framework.api.renderers.JSONRenderer",
                    "rest_framework.renderers.BrowsableAPIRenderer",
                ],
                # DRF's, with bounds on depth and fields checked before parsing (framework.api.parsers).
                "DEFAULT_PARSER_CLASSES": [
                    "framework.api.parsers.JSONParser",
                    "framework.api.parsers.FormParser",
                    "framework.api.parsers.MultiPartParser",
                ],
                "DEFAULT_PAGINATION_CLASS": "framework.api.pagination.PageNumberPagination",
                "PAGE_SIZE": self.API_PAGE_SIZE,
                "DEFAULT_FILTER_BACKENDS": [
                    "framework.api.filters.DjangoFilterBackend",
                    "rest_framework.filters.SearchFilter",
                    "framework.api.filters.OrderingFilter",
                ],
                "DEFAULT_SCHEMA_CLASS": "framework.api.schema.AutoSchema",
                "EXCEPTION_HANDLER": "framework.api.handlers.exception_handler",
            },
        }
