"""CORS settings: the origins allowed to call the API from a browser, for django-cors-headers."""

from __future__ import annotations

import re
from typing import Annotated, Any

from corsheaders.defaults import default_headers as cors_default_headers
from pydantic import AfterValidator

from ..schema import Context, Schema, setting
from ..types import CommaList
from .api import API_PATH_PREFIX

_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#\s]+")


def _origins(value: list[str]) -> list[str]:
    for origin in value:
        if origin == "*":
            raise ValueError("'*' is not accepted: list each origin, e.g. https://app.example.com")
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(
                f"{origin!r} is not an origin: expected scheme://host[:port] with no path, "
                "e.g. https://app.example.com"
            )
    return value


Origins = Annotated[CommaList, AfterValidator(_origins)]


class CorsSettings(Schema):
    title = "CORS"

    CORS_ALLOWED_ORIGINS: Origins = setting(
        [],
        "Origins whose browser pages may call the API, e.g. https://app.example.com. "
        "Empty: cross-origin requests are refused.",
    )
    CORS_ALLOW_CREDENTIALS: bool = setting(
        False,
        "Let those pages send cookies (session authentication from another origin); "
        "not needed for tokens or API keys.",
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "CORS_ALLOWED_ORIGINS": self.CORS_ALLOWED_ORIGINS,
            "CORS_ALLOW_CREDENTIALS": self.CORS_ALLOW_CREDENTIALS,
            # The API only: the admin and the site stay same-origin.
            "CORS_URLS_REGEX": "^" + re.escape(API_PATH_PREFIX),
            "CORS_ALLOW_HEADERS": [*cors_default_headers, "x-api-key", "x-request-id"],
            "CORS_EXPOSE_HEADERS": ["Retry-After", "WWW-Authenticate", "X-Request-ID"],
        }
