"""The token endpoints, mounted at /api/v1/auth/; each answers 404 while the jwt backend is not enabled."""

from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("token/", views.ObtainTokenView.as_view(), name="token-obtain"),
    path("token/refresh/", views.RefreshTokenView.as_view(), name="token-refresh"),
    path("token/verify/", views.VerifyTokenView.as_view(), name="token-verify"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
