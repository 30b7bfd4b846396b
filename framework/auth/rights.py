"""Rights: which operations an account may perform on which resources (what `HasRight` checks)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import Right


def grant_right(user: AbstractBaseUser, resource: str, operation: str) -> Right:
    """Let `user` perform `operation` on `resource`; granting it twice is harmless."""
    right, _created = Right.objects.get_or_create(user=user, resource=resource, operation=operation)
    return right


def revoke_right(user: AbstractBaseUser, resource: str, operation: str) -> None:
    Right.objects.filter(user=user, resource=resource, operation=operation).delete()


def has_right(user: AbstractBaseUser | AnonymousUser, resource: str, operation: str) -> bool:
    """Whether `user` itself holds the right: one query, filtered on the account first."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Right.objects.filter(user_id=user.pk, resource=resource, operation=operation).exists()
