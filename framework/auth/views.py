"""The token endpoints under /api/v1/auth/: obtain, refresh, verify, logout."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_simplejwt import views

from .throttling import AnonRateThrottle, TokenRateThrottle


class ObtainTokenView(views.TokenObtainPairView):
    """Exchange a username and password for an access token and a refresh token."""

    # Stricter than other anonymous calls: each attempt is a password guess.
    throttle_classes = [AnonRateThrottle, TokenRateThrottle]


class RefreshTokenView(views.TokenRefreshView):
    """Exchange a refresh token for a new access token (and a new refresh token: the old one is blacklisted)."""


class VerifyTokenView(views.TokenVerifyView):
    """Check that a token is valid: 200 if it is."""


class LogoutView(views.TokenBlacklistView):
    """Blacklist a refresh token, so that it cannot be used again."""

    @extend_schema(responses={204: None})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        super().post(request, *args, **kwargs)
        return Response(status=status.HTTP_204_NO_CONTENT)
