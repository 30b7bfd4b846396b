"""`manage.py revokeapikey PREFIX`: revoke an API key for good."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from framework.auth.api_keys import revoke_api_key
from framework.auth.models import APIKey


class Command(BaseCommand):
    help = "Revoke an API key, named by its prefix (the part before the dot) or the whole key. It cannot be undone."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("key", help="The key's prefix, as the admin and createapikey show it, or the whole key.")

    def handle(self, *args: Any, key: str, **options: Any) -> None:
        prefix = key.partition(".")[0]
        try:
            api_key = APIKey.objects.get(prefix=prefix)
        except APIKey.DoesNotExist:
            raise CommandError(f"no API key with the prefix {prefix!r}") from None
        if api_key.revoked:
            self.stdout.write(f"API key {prefix} ({api_key.name!r}) was already revoked.")
            return
        revoke_api_key(api_key)
        self.stdout.write(f"Revoked API key {prefix} ({api_key.name!r}) of {api_key.owner}.")
