"""API-key authentication: `Authorization: Api-Key <key>` or `X-API-Key: <key>`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from framework.auth import lookup
from framework.auth.models import APIKey

from . import recorded

KEYWORD = "Api-Key"
HEADER = "HTTP_X_API_KEY"
INVALID_KEY = _("The API key is invalid, revoked or expired.")
INACTIVE_OWNER = _("The API key's owner is inactive.")
MALFORMED_HEADER = _("The Authorization header must be: Api-Key <key>.")


class APIKeyAuthentication(authentication.BaseAuthentication):
    """Authenticate as the owner of an API key; `request.auth` is the APIKey.

    The key's prefix finds its row and its owner's, in one query built once
    (framework.auth.lookup), and the key is checked against the stored
    SHA-512 hash. Returns None when the request carries no key, so that the
    next backend may try.
    """

    def authenticate(self, request: Request) -> tuple[object, APIKey] | None:
        key = self.get_key(request)
        if key is None:
            return None
        api_key = self.get_api_key(key)
        if not api_key.owner.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE_OWNER, code="user_inactive")
        self.record_use(api_key)
        return recorded((api_key.owner, api_key))

    def get_key(self, request: Request) -> str | None:
        keyword, _space, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if keyword.lower() == KEYWORD.lower():
            if not key.strip() or " " in key.strip():
                raise exceptions.AuthenticationFailed(MALFORMED_HEADER, code="bad_authorization_header")
            return key.strip()
        return request.META.get(HEADER) or None

    def get_api_key(self, key: str) -> APIKey:
        prefix, dot, _secret = key.partition(".")
        api_key = lookup.api_key_by_prefix(prefix) if dot else None
        if api_key is None or api_key.has_expired or not APIKey.objects.key_generator.verify(key, api_key.hashed_key):
            raise exceptions.AuthenticationFailed(INVALID_KEY)
        return api_key

    def record_use(self, api_key: APIKey) -> None:
        lookup.record_api_key_use(api_key)

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'
