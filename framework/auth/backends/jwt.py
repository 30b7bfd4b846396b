"""JWT bearer authentication (djangorestframework-simplejwt): `Authorization: Bearer <access token>`."""

from __future__ import annotations

import copy
from typing import Any

from django.core.signals import setting_changed
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken, Token
from rest_framework_simplejwt.utils import aware_utcnow, get_md5_hash_password

from framework.auth import lookup

from . import recorded

INVALID_TOKEN = _("The access token is invalid or expired.")
MALFORMED_HEADER = _("The Authorization header is not valid.")

# Access tokens this process has validated, by their bytes, so that a client's next requests with the same
# token skip decoding it and checking its signature again (the same bytes under the same key and settings:
# the same answer); only its expiry changes with time, and it is checked on every use. At most this many.
_validated: dict[bytes, AccessToken] = {}
_MAX_VALIDATED = 4096


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication: the access token's signature, algorithm, expiry and type are checked,
    and the user is read on every request, so a deactivated user is refused at once.

    The user is read by a statement built once (framework.auth.lookup), not a
    query the ORM builds and compiles on each request; what is checked of it
    is simplejwt's (USER_ID_FIELD, CHECK_USER_IS_ACTIVE, CHECK_REVOKE_TOKEN).
    A token validated once in this process is not decoded again, its expiry
    is (simplejwt's AccessToken only: a token class of the project's, whose
    checks may change with more than time, is validated on every request).
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
        known = _validated.get(raw_token)
        if known is not None:
            return self.still_valid(raw_token, known)
        try:
            token = super().get_validated_token(raw_token)
        except InvalidToken:
            # One plain sentence in the error format, not simplejwt's list of token classes tried.
            raise InvalidToken(INVALID_TOKEN) from None
        if type(token) is AccessToken:
            if len(_validated) >= _MAX_VALIDATED:
                _validated.clear()
            _validated[raw_token] = token
        return token

    @staticmethod
    def still_valid(raw_token: bytes, known: AccessToken) -> AccessToken:
        """`known`, validated earlier, if it has not expired since: a copy of its own for this request."""
        now = aware_utcnow()
        try:
            known.check_exp(current_time=now)
        except TokenError:
            _validated.pop(raw_token, None)
            raise InvalidToken(INVALID_TOKEN) from None
        token = copy.copy(known)
        token.payload, token.current_time = dict(known.payload), now
        return token

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


def _forget(*, setting: str, **kwargs: Any) -> None:
    # The JWT settings changed (a test's override): what was validated under the old ones is validated again.
    if setting in ("SIMPLE_JWT", "SECRET_KEY", "FRAMEWORK"):
        _validated.clear()


setting_changed.connect(_forget, dispatch_uid="framework.auth.backends.jwt.forget")
