"""The types settings are declared with, each checking an environment value and naming what is expected."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_settings import NoDecode

from .urls import broker_url, cache_config, database_config, email_config, split


def _split_list(value: Any) -> Any:
    # Environment values are strings: accept `a,b` as well as `["a", "b"]`.
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("not a valid JSON list (or use comma-separated values)") from None
    return [item.strip() for item in text.split(",") if item.strip()]


#: A list of strings, written `a,b,c` (or as a JSON list) in the environment.
CommaList = Annotated[list[str], NoDecode, BeforeValidator(_split_list)]


def _seconds(value: Any) -> Any:
    # "300" from the environment is seconds; ISO 8601 durations ("PT5M") pass through.
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


#: A duration, written in seconds (or as ISO 8601, `PT5M`) in the environment.
Duration = Annotated[timedelta, BeforeValidator(_seconds)]

Port = Annotated[int, Field(ge=1, le=65535)]
#: A count or a number of seconds that may be 0.
Seconds = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]


def checked_by(parse: Callable[[str], Any]) -> AfterValidator:
    """A validator that lets a value through unchanged once `parse` accepts it (its ValueError is the message)."""

    def validate(value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value

    return AfterValidator(validate)


def _redis_url(url: str) -> str:
    return broker_url(split(url, ("redis", "rediss")).geturl())


DatabaseURL = Annotated[str | None, checked_by(database_config)]
CacheURL = Annotated[str | None, checked_by(cache_config)]
RedisURL = Annotated[str | None, checked_by(_redis_url)]
BrokerURL = Annotated[str | None, checked_by(broker_url)]
EmailURL = Annotated[str | None, checked_by(email_config)]


def _email_address(address: str) -> str:
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    # "Service <service@example.com>" is accepted: its mailbox part is what is checked.
    try:
        validate_email(parseaddr(address)[1])
    except ValidationError:
        raise ValueError("not an email address (expected name@example.com or Name <name@example.com>)") from None
    return address


EmailAddress = Annotated[str, AfterValidator(_email_address)]

_IMPORT_STRING = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+")


def choices_or_import_strings(choices: dict[str, str], *, example: str) -> AfterValidator:
    """A validator for a list of names from `choices`, or import strings of the user's own classes."""

    def validate(value: list[str]) -> list[str]:
        for item in value:
            if item not in choices and not _IMPORT_STRING.fullmatch(item):
                raise ValueError(
                    f"unknown name {item!r} (expected one of: {', '.join(choices)}, "
                    f"or an import string such as {example})"
                )
        return value

    return AfterValidator(validate)


def choice_or_import_string(choices: dict[str, str], *, example: str) -> AfterValidator:
    """A validator for one name from `choices`, or an import string of the user's own class (None passes)."""
    check = choices_or_import_strings(choices, example=example).func

    def validate(value: str | None) -> str | None:
        if value is not None:
            check([value])
        return value

    return AfterValidator(validate)


def resolve(names: list[str], choices: dict[str, str]) -> list[str]:
    """The import strings of `names`: a choice's, or the name itself."""
    return [choices.get(name, name) for name in names]


#: How to make a key for SECRET_KEY or JWT_SIGNING_KEY, for the messages that ask for one.
GENERATE_KEY = (
    "generate one with: python -c \"from django.core.management.utils import "
    'get_random_secret_key; print(get_random_secret_key())"'
)
