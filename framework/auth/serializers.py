"""Token serializers: simplejwt's, with a gap closed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework_simplejwt import serializers
from rest_framework_simplejwt.exceptions import AuthenticationFailed


class TokenRefreshSerializer(serializers.TokenRefreshSerializer):
    """simplejwt's refresh, answering 401 (not a server error) when the token's user was deleted."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        try:
            return super().validate(attrs)
        except get_user_model().DoesNotExist:
            raise AuthenticationFailed(self.error_messages["no_active_account"], "no_active_account") from None
