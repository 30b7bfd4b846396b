"""The token endpoints under /api/v1/auth/: obtain, refresh, verify, logout."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework_simplejwt import views

from framework.api.schema import ERROR_STATUSES

from .backends.jwt import JWTAuthentication
from .throttling import AnonRateThrottle, TokenRateThrottle


def jwt_enabled() -> bool:
    """Whether an API authentication backend is JWT's (API_AUTHENTICATION), as DRF's settings say now."""
    return any(issubclass(backend, JWTAuthentication) for backend in api_settings.DEFAULT_AUTHENTICATION_CLASSES)


class TokenEndpoint:
    """A token endpoint: there while the jwt backend is enabled, else 404 as an unknown URL would be.

    Decided at each request, so that changed settings (`override_settings`) reach it.
    """

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if not jwt_enabled():
            raise Http404
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


#: Wrong credentials, or a token of the body that is invalid or expired, are a 401, though the
#: endpoint needs none.
TOKEN_ERRORS = extend_schema_view(post=extend_schema(extensions={ERROR_STATUSES: [401]}))


@TOKEN_ERRORS
class ObtainTokenView(TokenEndpoint, views.TokenObtainPairView):
    """Exchange a username and password for an access token and a refresh token."""

    # Stricter than other anonymous calls: each attempt is a password guess.
    throttle_classes = [AnonRateThrottle, TokenRateThrottle]


@TOKEN_ERRORS
class RefreshTokenView(TokenEndpoint, views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and a new refresh token: the old one is blacklisted)."""


@TOKEN_ERRORS
class VerifyTokenView(TokenEndpoint, views.TokenVerifyView):
    """Check that a token is valid: 200 if it is."""


class LogoutView(TokenEndpoint, views.TokenBlacklistView):
    """Blacklist a refresh token, so that it cannot be used again."""

    @extend_schema(responses={204: None}, extensions={ERROR_STATUSES: [401]})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
