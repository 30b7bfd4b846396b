"""Authentication settings: the backends, default permissions, throttling and JWT, for DRF and simplejwt."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from ..schema import Context, Schema, setting
from ..types import GENERATE_KEY, CommaList, Duration, Seconds, choices_or_import_strings, resolve
from .core import CoreSettings

#: API_AUTHENTICATION names -> DRF authentication classes.
BACKENDS = {
    "session": "framework.auth.backends.session.SessionAuthentication",
    "jwt": "framework.auth.backends.jwt.JWTAuthentication",
    "api_key": "framework.auth.backends.api_key.APIKeyAuthentication",
    "basic": "framework.auth.backends.basic.BasicAuthentication",
}

#: API_DEFAULT_PERMISSIONS names -> DRF permission classes.
PERMISSIONS = {
    "authenticated": "rest_framework.permissions.IsAuthenticated",
    "authenticated_or_read_only": "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    "staff": "rest_framework.permissions.IsAdminUser",
    "anyone": "rest_framework.permissions.AllowAny",
}

#: The throttles every API view gets; the token endpoint adds its own.
THROTTLES = [
    "framework.auth.throttling.AnonRateThrottle",
    "framework.auth.throttling.UserRateThrottle",
]

JWT_MIN_KEY_LENGTH = 32
_THROTTLE_RATE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")


def _throttle_rate(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("", "off", "none"):
        return None
    if isinstance(value, str) and not _THROTTLE_RATE.fullmatch(value.strip()):
        raise ValueError("expected requests per period, e.g. 100/minute (periods: second, minute, hour, day), or off")
    return value.strip() if isinstance(value, str) else value


AuthenticationBackends = Annotated[
    CommaList, choices_or_import_strings(BACKENDS, example="myapp.auth.HeaderAuthentication")
]
PermissionPolicies = Annotated[
    CommaList, choices_or_import_strings(PERMISSIONS, example="myapp.permissions.IsPartner")
]
ThrottleRate = Annotated[str | None, BeforeValidator(_throttle_rate)]


class AuthSettings(Schema):
    title = "Authentication"
    framework_fields = ("THROTTLE_AUTH_FAILURE_RATE",)
    problems_rely_on = {
        "API_AUTHENTICATION",
        "JWT_SIGNING_KEY",
        "JWT_ACCESS_TOKEN_LIFETIME",
        "JWT_REFRESH_TOKEN_LIFETIME",
    }

    API_AUTHENTICATION: AuthenticationBackends = setting(
        ["jwt", "api_key", "session"],
        "How API callers prove who they are: session (the browser's sign-in, with CSRF on unsafe "
        "methods), jwt (Authorization: Bearer), api_key (Authorization: Api-Key or X-API-Key), "
        "basic (username and password on every request: slow, off by default), or import strings "
        "of DRF authentication classes.",
    )
    API_DEFAULT_PERMISSIONS: PermissionPolicies = setting(
        ["authenticated"],
        "Who may call API views that do not say otherwise: authenticated, authenticated_or_read_only, "
        "staff, anyone, or import strings of DRF permission classes (all must allow).",
    )
    THROTTLE_ANON_RATE: ThrottleRate = setting(
        "100/minute", "Requests an anonymous client (by IP address) may make, e.g. 100/minute; off: no limit."
    )
    THROTTLE_USER_RATE: ThrottleRate = setting(
        "1000/minute", "Requests a signed-in user, or an API key, may make, e.g. 1000/minute; off: no limit."
    )
    THROTTLE_TOKEN_RATE: ThrottleRate = setting(
        "10/minute",
        "Attempts to obtain a token with a password, per IP address: kept low against password guessing.",
    )
    THROTTLE_AUTH_FAILURE_RATE: ThrottleRate = setting(
        "20/minute",
        "Failed authentications (401 answers on the API: wrong or missing keys and tokens; failed sign-ins, "
        "the admin's included) an address may make; past it, its API requests and form posts get 429 "
        "before they are authenticated, until the period ends. off: no limit.",
    )
    THROTTLE_TRUSTED_PROXIES: Seconds = setting(
        0,
        "Reverse proxies in front of the service whose X-Forwarded-For entry names the client. "
        "0: the connection's own address identifies it (a client cannot forge it).",
    )
    JWT_ACCESS_TOKEN_LIFETIME: Duration = setting(
        timedelta(minutes=5), "How long an access token is valid, in seconds."
    )
    JWT_REFRESH_TOKEN_LIFETIME: Duration = setting(
        timedelta(days=1), "How long a refresh token is valid, in seconds."
    )
    JWT_SIGNING_KEY: str = setting(
        "",
        f"Key that signs tokens, at least {JWT_MIN_KEY_LENGTH} characters. Default: SECRET_KEY.",
        secret=True,
        default_from=("SECRET_KEY",),
    )
    JWT_ALGORITHM: Literal["HS256", "HS384", "HS512"] = setting(
        "HS256", "HMAC algorithm that signs tokens; a token signed with any other (or none) is refused."
    )
    JWT_ROTATE_REFRESH_TOKENS: bool = setting(
        True, "A refresh gives a new refresh token too, and the used one is blacklisted."
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.API_AUTHENTICATION:
            yield "API_AUTHENTICATION", (
                "is empty, so no caller could sign in; list at least one of: " + ", ".join(BACKENDS)
            )
        if self.JWT_SIGNING_KEY and len(self.JWT_SIGNING_KEY) < JWT_MIN_KEY_LENGTH:
            yield "JWT_SIGNING_KEY", (
                f"is {len(self.JWT_SIGNING_KEY)} characters; an HMAC key needs at least "
                f"{JWT_MIN_KEY_LENGTH}, or leave it empty to use SECRET_KEY; " + GENERATE_KEY
            )
        if self.JWT_REFRESH_TOKEN_LIFETIME <= self.JWT_ACCESS_TOKEN_LIFETIME:
            yield "JWT_REFRESH_TOKEN_LIFETIME", (
                f"must be longer than JWT_ACCESS_TOKEN_LIFETIME ({int(self.JWT_ACCESS_TOKEN_LIFETIME.total_seconds())}s), "
                "or a refresh could not outlive the token it renews"
            )

    def rest_framework(self) -> dict[str, Any]:
        """The entries of REST_FRAMEWORK this schema decides (ApiSettings builds the whole dict)."""
        backends = resolve(self.API_AUTHENTICATION, BACKENDS)
        # DRF answers 401 (not 403) with the first backend's WWW-Authenticate challenge;
        # a session has no challenge to offer, so it goes last.
        session = BACKENDS["session"]
        backends = [path for path in backends if path != session] + [path for path in backends if path == session]
        return {
            "DEFAULT_AUTHENTICATION_CLASSES": backends,
            "DEFAULT_PERMISSION_CLASSES": resolve(self.API_DEFAULT_PERMISSIONS, PERMISSIONS),
            "DEFAULT_THROTTLE_CLASSES": list(THROTTLES),
            "DEFAULT_THROTTLE_RATES": {
                "anon": self.THROTTLE_ANON_RATE,
                "user": self.THROTTLE_USER_RATE,
                "token": self.THROTTLE_TOKEN_RATE,
            },
            "NUM_PROXIES": self.THROTTLE_TRUSTED_PROXIES,
        }

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "SIMPLE_JWT": {
                "ACCESS_TOKEN_LIFETIME": self.JWT_ACCESS_TOKEN_LIFETIME,
                "REFRESH_TOKEN_LIFETIME": self.JWT_REFRESH_TOKEN_LIFETIME,
                "SIGNING_KEY": self.JWT_SIGNING_KEY or context[CoreSettings].SECRET_KEY,
                "ALGORITHM": self.JWT_ALGORITHM,
                "AUTH_HEADER_TYPES": ("Bearer",),
                "ROTATE_REFRESH_TOKENS": self.JWT_ROTATE_REFRESH_TOKENS,
                "BLACKLIST_AFTER_ROTATION": True,
                "UPDATE_LAST_LOGIN": False,
                "CHECK_USER_IS_ACTIVE": True,
                # A password change ends the tokens issued before it.
                "CHECK_REVOKE_TOKEN": True,
                "TOKEN_REFRESH_SERIALIZER": "framework.auth.serializers.TokenRefreshSerializer",
            }
        }
