"""Core settings: debug mode, the secret key, the hosts served, time zone and language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from typing import Annotated

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from pydantic import AfterValidator

from ..schema import Schema, setting
from ..types import GENERATE_KEY, CommaList

SECRET_KEY_MISSING = "is required; set it, or SECRET_KEY_FILE to a file holding it; " + GENERATE_KEY
SECRET_KEY_INSECURE = (
    f"is a development key ({SECRET_KEY_INSECURE_PREFIX}...), not allowed with DEBUG off; "
    + GENERATE_KEY
)
#: Django's own bar for a production key (security.W009): long, and not made of a few characters repeated.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
SECRET_KEY_WEAK = (
    "is {length} characters, {unique} of them distinct; with DEBUG off it must be at least "
    f"{SECRET_KEY_MIN_LENGTH} characters with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} distinct "
    "(it signs sessions, and tokens too unless JWT_SIGNING_KEY is set); " + GENERATE_KEY
)
ALLOWED_HOSTS_EMPTY = (
    "is empty, so with DEBUG off no request would be answered; "
    "list this service's host names, e.g. ALLOWED_HOSTS=api.example.com"
)


def _time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone (expected a name such as UTC or Europe/Paris)") from None
    return name


TimeZone = Annotated[str, AfterValidator(_time_zone)]


class CoreSettings(Schema):
    title = "Core"
    problems_rely_on = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}

    DEBUG: bool = setting(
        False,
        "Django's debug mode: detailed error pages and development conveniences. "
        "Never on in production.",
    )
    SECRET_KEY: str = setting(
        "",
        "Signs sessions, tokens and other values. Required; with DEBUG off it must "
        f"not be a development key, and have at least {SECRET_KEY_MIN_LENGTH} characters, "
        f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} of them distinct.",
        secret=True,
    )
    ALLOWED_HOSTS: CommaList = setting(
        [], "Host names this service answers to. Required with DEBUG off."
    )
    CSRF_TRUSTED_ORIGINS: CommaList = setting(
        [], "Origins trusted for unsafe requests under session authentication, e.g. https://app.example.com."
    )
    TIME_ZONE: TimeZone = setting("UTC", "Time zone for displaying dates; they are stored in UTC.")
    LANGUAGE_CODE: str = setting("en-us", "Default language of messages.")

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.SECRET_KEY:
            yield "SECRET_KEY", SECRET_KEY_MISSING
        elif not self.DEBUG and self.SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX):
            yield "SECRET_KEY", SECRET_KEY_INSECURE
        elif not self.DEBUG and (
            len(self.SECRET_KEY) < SECRET_KEY_MIN_LENGTH or len(set(self.SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        ):
            yield "SECRET_KEY", SECRET_KEY_WEAK.format(length=len(self.SECRET_KEY), unique=len(set(self.SECRET_KEY)))
        if not self.DEBUG and not self.ALLOWED_HOSTS:
            yield "ALLOWED_HOSTS", ALLOWED_HOSTS_EMPTY
