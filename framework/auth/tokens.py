"""Issuing JWTs without the token endpoint: for tests, commands and sign-in flows of a project's own."""

from __future__ import annotations

from typing import TypedDict

from django.contrib.auth.models import AbstractBaseUser
from rest_framework_simplejwt.tokens import RefreshToken


class TokenPair(TypedDict):
    access: str
    refresh: str


def issue_tokens(user: AbstractBaseUser) -> TokenPair:
    """An access and a refresh token for `user`, as `POST /api/v1/auth/token/` gives them."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}
