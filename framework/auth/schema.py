"""Authentication in the OpenAPI schema: a scheme per backend, so that Swagger UI can authorize with each,
and the token endpoints only while JWT is enabled."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class JWTScheme(OpenApiAuthenticationExtension):
    target_class = "framework.auth.backends.jwt.JWTAuthentication"
    name = "jwtAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "An access token from `POST /api/v1/auth/token/`.",
        }


class APIKeyScheme(OpenApiAuthenticationExtension):
    target_class = "framework.auth.backends.api_key.APIKeyAuthentication"
    name = "apiKeyAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-API-Key",
            "description": "A key from `manage.py createapikey`; `Authorization: Api-Key <key>` works too.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "framework.auth.backends.session.SessionAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class BasicScheme(OpenApiAuthenticationExtension):
    target_class = "framework.auth.backends.basic.BasicAuthentication"
    name = "basicAuth"
    priority = 1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "http", "scheme": "basic"}


def hide_disabled_token_endpoints(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """drf-spectacular's preprocessing hook: leave out the token endpoints while they answer 404 (no jwt backend)."""
    from .views import TokenEndpoint, jwt_enabled

    if jwt_enabled():
        return endpoints
    return [endpoint for endpoint in endpoints if not issubclass(getattr(endpoint[3], "cls", object), TokenEndpoint)]
