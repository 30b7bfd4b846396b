"""Authentication and permissions: session, JWT and API-key backends, roles, rights, throttling.

    from framework.auth import HasRight, HasRole, IsOwner, create_api_key, issue_tokens

The names are imported on first use: Django imports this package, an installed
app, before its models can be.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from framework.lazy import facade

if TYPE_CHECKING:
    from .api_keys import create_api_key, revoke_api_key
    from .models import APIKey, Right
    from .permissions import HasRight, HasRole, IsOwner
    from .rights import grant_right, has_right, revoke_right
    from .tokens import issue_tokens

NAMES = {
    "APIKey": ".models",
    "HasRight": ".permissions",
    "HasRole": ".permissions",
    "IsOwner": ".permissions",
    "Right": ".models",
    "create_api_key": ".api_keys",
    "grant_right": ".rights",
    "has_right": ".rights",
    "issue_tokens": ".tokens",
    "revoke_api_key": ".api_keys",
    "revoke_right": ".rights",
}
__all__ = sorted(NAMES)
__getattr__, __dir__ = facade(__name__, NAMES)
