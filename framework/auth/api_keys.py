"""Creating and revoking API keys: what `createapikey`, `revokeapikey`, the admin and tests use."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import APIKey


def create_api_key(
    user: AbstractBaseUser, name: str, *, expires_in: timedelta | None = None, expires_at: datetime | None = None
) -> tuple[APIKey, str]:
    """Create a key for `user`; return it and the key in the clear, which is not stored and cannot be shown again."""
    if expires_in is not None:
        expires_at = timezone.now() + expires_in
    return APIKey.objects.create_key(owner=user, name=name, expiry_date=expires_at)


def revoke_api_key(api_key: APIKey) -> None:
    """Revoke `api_key` for good: it cannot be used, nor un-revoked."""
    if not api_key.revoked:
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
