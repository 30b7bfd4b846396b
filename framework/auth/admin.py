"""Admin pages for API keys (the key is shown once, on creation) and rights."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key import admin as api_key_admin
from rest_framework_api_key.models import APIKey as UnownedAPIKey

from .models import APIKey, Right

# The library's own model (keys without an owner) is not used: only ours is on the admin.
if admin.site.is_registered(UnownedAPIKey):
    admin.site.unregister(UnownedAPIKey)


@admin.register(APIKey)
class APIKeyAdmin(api_key_admin.APIKeyModelAdmin):
    list_display = ["prefix", "name", "owner", "created", "expiry_date", "expired", "revoked", "last_used_at"]
    list_filter = ["revoked", "created"]
    search_fields = ["name", "prefix", "owner__username"]
    raw_id_fields = ["owner"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return (*super().get_readonly_fields(request, obj), "last_used_at")

    @admin.display(boolean=True, description=_("has expired"))
    def expired(self, obj: APIKey) -> bool:
        return obj.has_expired


@admin.register(Right)
class RightAdmin(admin.ModelAdmin):
    list_display = ["user", "resource", "operation", "granted_at"]
    list_filter = ["resource", "operation"]
    search_fields = ["user__username", "resource", "operation"]
    raw_id_fields = ["user"]
