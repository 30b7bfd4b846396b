"""Security settings for production: HTTPS redirects, HSTS, secure cookies, the TLS proxy header."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from ..schema import Context, Schema, setting
from ..types import CommaList, Seconds
from .core import CoreSettings


def _header_pair(value: list[str]) -> list[str]:
    if value and len(value) != 2:
        raise ValueError("expected a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https")
    return value


ProxyHeader = Annotated[CommaList, AfterValidator(_header_pair)]


class SecuritySettings(Schema):
    title = "Security (production)"

    SECURE_SSL_REDIRECT: bool | None = setting(
        None, "Redirect plain HTTP requests to HTTPS. Default: on when DEBUG is off."
    )
    SECURE_HSTS_SECONDS: Seconds | None = setting(
        None, "Seconds browsers must use HTTPS only (HSTS). Default: one year with DEBUG off, else 0."
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS: bool | None = setting(
        None, "HSTS covers subdomains too. Default: on when DEBUG is off."
    )
    SECURE_HSTS_PRELOAD: bool | None = setting(
        None, "Allow browsers' HSTS preload lists. Default: on when DEBUG is off."
    )
    SESSION_COOKIE_SECURE: bool | None = setting(
        None, "Send the session cookie over HTTPS only. Default: on when DEBUG is off."
    )
    CSRF_COOKIE_SECURE: bool | None = setting(
        None, "Send the CSRF cookie over HTTPS only. Default: on when DEBUG is off."
    )
    SECURE_PROXY_SSL_HEADER: ProxyHeader = setting(
        [],
        "Behind a proxy that terminates TLS: the header and value that mark an HTTPS request, "
        "e.g. HTTP_X_FORWARDED_PROTO,https.",
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        production = not context[CoreSettings].DEBUG

        def default(value: Any, production_value: Any, development_value: Any) -> Any:
            if value is not None:
                return value
            return production_value if production else development_value

        return {
            "SECURE_SSL_REDIRECT": default(self.SECURE_SSL_REDIRECT, True, False),
            "SECURE_HSTS_SECONDS": default(self.SECURE_HSTS_SECONDS, 365 * 24 * 3600, 0),
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": default(self.SECURE_HSTS_INCLUDE_SUBDOMAINS, True, False),
            "SECURE_HSTS_PRELOAD": default(self.SECURE_HSTS_PRELOAD, True, False),
            "SESSION_COOKIE_SECURE": default(self.SESSION_COOKIE_SECURE, True, False),
            "CSRF_COOKIE_SECURE": default(self.CSRF_COOKIE_SECURE, True, False),
            "SECURE_PROXY_SSL_HEADER": tuple(self.SECURE_PROXY_SSL_HEADER) or None,
        }
