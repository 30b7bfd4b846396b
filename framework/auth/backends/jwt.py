"""JWT bearer authentication (djangorestframework-simplejwt): `Authorization: Bearer <access token>`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import Token
from rest_framework_simplejwt.utils import get_md5_hash_password

from framework.auth import lookup

from . import recorded

INVALID_TOKEN = _("The access token is invalid or expired.")
MALFORMED_HEADER = _("The Authorization header is not valid.")


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication: the access token's signature, algorithm, expiry and type are checked,
    and the user is read on every request, so a deactivated user is refused at once.

    The user is read by a statement built once (framework.auth.lookup), not a
    query the ORM builds and compiles on each request; what is checked of it
    is simplejwt's (USER_ID_FIELD, CHECK_USER_IS_ACTIVE, CHECK_REVOKE_TOKEN).
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

    def get_user(self, validated_token: Token) -> Any:
        try:
            user_id = validated_token[api_settings.USER_ID_CLAIM]
        except KeyError:
            raise InvalidToken(_("Token contained no recognizable user identification")) from None
        user = lookup.user_by(api_settings.USER_ID_FIELD, user_id)
        if user is None:
            raise AuthenticationFailed(_("User not found"), code="user_not_found")
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        if api_settings.CHECK_REVOKE_TOKEN and validated_token.get(
            api_settings.REVOKE_TOKEN_CLAIM
        ) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
        return user
