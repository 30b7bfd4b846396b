"""API keys and rights: the two things the auth backends store."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.crypto import KeyGenerator
from rest_framework_api_key.models import AbstractAPIKey, BaseAPIKeyManager


class FastKeyGenerator(KeyGenerator):
    """djangorestframework-api-key's generator, verifying with its SHA-512 hasher only.

    Its fallback to Django's password hashers (for keys hashed by old
    versions) would put a deliberately slow hash on the per-request path.
    """

    def verify(self, key: str, hashed_key: str) -> bool:
        if not self.using_preferred_hasher(hashed_key):
            return False
        return self.preferred_hasher.verify(key, hashed_key)


class APIKeyManager(BaseAPIKeyManager):
    key_generator = FastKeyGenerator()


class APIKey(AbstractAPIKey):
    """A key a program calls the API with, acting as its owner.

    Only a SHA-512 hash of the key is stored; its first part (`prefix`,
    before the dot) is shown in the clear to tell keys apart.
    """

    objects = APIKeyManager()

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("owner")
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    @property
    def is_usable(self) -> bool:
        return not self.revoked and not self.has_expired

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class Right(models.Model):
    """One operation an account may perform on one resource: ("notes", "delete")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rights", verbose_name=_("user")
    )
    resource = models.CharField(_("resource"), max_length=100)
    operation = models.CharField(_("operation"), max_length=100)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("right")
        verbose_name_plural = _("rights")
        ordering = ["user_id", "resource", "operation"]
        constraints = [
            models.UniqueConstraint(fields=["user", "resource", "operation"], name="framework_auth_right_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.resource}:{self.operation}"


