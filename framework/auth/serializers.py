"""Token serializers: simplejwt's, with two gaps closed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

PASSWORD_CHANGED = _("The user's password has been changed since this token was issued.")


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    """simplejwt's refresh, answering 401 (not a server error) when the token's user was deleted, and
    refusing a refresh token issued before the user's password changed (CHECK_REVOKE_TOKEN), as the
    access tokens it would issue are refused."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        if api_settings.CHECK_REVOKE_TOKEN:
            self._check_password_unchanged(self.token_class(attrs["refresh"]))
        try:
            return super().validate(attrs)
        except get_user_model().DoesNotExist:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account") from None

    def _check_password_unchanged(self, refresh: Any) -> None:
        user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
        user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: user_id}).first()
        if user is None:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account")
        if refresh.payload.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password):
            raise AuthenticationFailed(PASSWORD_CHANGED, "password_changed")
