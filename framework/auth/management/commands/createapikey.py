"""`manage.py createapikey --user NAME --name LABEL [--expires DAYS]`: prints a new API key, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from framework.auth.api_keys import create_api_key

NAME_MAX_LENGTH = 50


def positive_days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        days = 0
    if days < 1:
        raise CommandError(f"--expires: {value!r} is not a number of days (a whole number, 1 or more)")
    return days


class Command(BaseCommand):
    help = "Create an API key for a user and print it. Only its hash is stored: it cannot be shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username of the key's owner; the key acts as this user.")
        parser.add_argument("--name", required=True, help="A label telling the key apart, e.g. ci or billing-sync.")
        parser.add_argument("--expires", metavar="DAYS", help="Days until the key expires. Default: never.")

    def handle(self, *args: Any, user: str, name: str, expires: str | None, **options: Any) -> None:
        User = get_user_model()
        try:
            owner = User.objects.get(**{User.USERNAME_FIELD: user})
        except User.DoesNotExist:
            raise CommandError(f"--user: no user named {user!r}; create it first (manage.py createsuperuser)") from None
        if not name.strip() or len(name) > NAME_MAX_LENGTH:
            raise CommandError(f"--name: must be 1 to {NAME_MAX_LENGTH} characters")
        expires_in = timedelta(days=positive_days(expires)) if expires is not None else None
        api_key, key = create_api_key(owner, name, expires_in=expires_in)
        self.stderr.write(
            f"Created API key {api_key.prefix} ({name!r}) for {user}"
            + (f", expiring {api_key.expiry_date:%Y-%m-%d %H:%M} UTC" if api_key.expiry_date else "")
            + ". Store it now: it is not shown again."
        )
        self.stdout.write(key)
