"""JWT bearer authentication (djangorestframework-simplejwt): `Authorization: Bearer <access token>`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.tokens import Token

from . import recorded

INVALID_TOKEN = _("The access token is invalid or expired.")
MALFORMED_HEADER = _("The Authorization header is not valid.")


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication: the access token's signature, algorithm, expiry and type are checked,
    and the user is read on every request, so a deactivated user is refused at once.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        return recorded(super().authenticate(request))

    def get_header(self, request: Request) -> bytes | None:
        try:
            return super().get_header(request)
        except UnicodeEncodeError:
            # A header no HTTP server would pass on (not latin-1): a bad request, not a crash.
            raise AuthenticationFailed(MALFORMED_HEADER, code="bad_authorization_header") from None

    def get_validated_token(self, raw_token: bytes) -> Token:
        try:
            return super().get_validated_token(raw_token)
        except InvalidToken:
            # One plain sentence in the error format, not simplejwt's list of token classes tried.
            raise InvalidToken(INVALID_TOKEN) from None
