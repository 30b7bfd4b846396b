"""Admin pages for API keys (the key is shown once, on creation) and rights."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key import admin as api_key_admin
from rest_framework_api_key.models import APIKey as UnownedAPIKey

from .models import APIKey, Right

def _user_field(relation: str) -> str:
    # A custom user model names its own login field (email, say): no `username` to search.
    return f"{relation}__{get_user_model().USERNAME_FIELD}"


# The library's own model (keys without an owner) is not used: only ours is on the admin.
if admin.site.is_registered(UnownedAPIKey):
    admin.site.unregister(UnownedAPIKey)


@admin.register(APIKey)
class APIKeyAdmin(api_key_admin.APIKeyModelAdmin):
    list_display = ["prefix", "name", "owner", "created", "expiry_date", "expired", "revoked", "last_used_at"]
    list_filter = ["revoked", "created"]
    raw_id_fields = ["owner"]

    def get_search_fields(self, request):  # type: ignore[no-untyped-def]
        return ["name", "prefix", _user_field("owner")]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return (*super().get_readonly_fields(request, obj), "last_used_at")

    @admin.display(boolean=True, description=_("has expired"))
    def expired(self, obj: APIKey) -> bool:
        return obj.has_expired


@admin.register(Right)
class RightAdmin(admin.ModelAdmin):
    list_display = ["user", "resource", "operation", "granted_at"]
    list_filter = ["resource", "operation"]
    raw_id_fields = ["user"]

    def get_search_fields(self, request):  # type: ignore[no-untyped-def]
        return [_user_field("user"), "resource", "operation"]
