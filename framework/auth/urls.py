"""The token endpoints, mounted at /api/v1/auth/ when the jwt backend is enabled."""

from __future__ import annotations

from django.urls import path
from rest_framework.settings import api_settings

from . import views
from .backends.jwt import JWTAuthentication


def jwt_enabled() -> bool:
    return any(issubclass(backend, JWTAuthentication) for backend in api_settings.DEFAULT_AUTHENTICATION_CLASSES)


urlpatterns = (
    [
        path("token/", views.ObtainTokenView.as_view(), name="token-obtain"),
        path("token/refresh/", views.RefreshTokenView.as_view(), name="token-refresh"),
        path("token/verify/", views.VerifyTokenView.as_view(), name="token-verify"),
        path("logout/", views.LogoutView.as_view(), name="logout"),
    ]
    if jwt_enabled()
    else []
)
