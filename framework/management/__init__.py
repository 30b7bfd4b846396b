"""Command-line entry points: `manage.py`, `framework-admin` and the framework's commands."""

from __future__ import annotations

import sys

from django.core.management import execute_from_command_line as django_execute_from_command_line
from django.core.management.base import CommandError, CommandParser, handle_default_options

from framework.conf import SettingsError


def execute_from_command_line(argv: list[str] | None = None) -> None:
    """Django's `execute_from_command_line`, reporting invalid settings as a list, not a traceback."""
    from django.conf import settings

    # As Django does before it loads the settings: --settings and --pythonpath choose them.
    parser = CommandParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    try:
        options, _ = parser.parse_known_args((argv or sys.argv)[2:])
        handle_default_options(options)
    except CommandError:
        pass  # Django reports malformed options itself
    try:
        settings.INSTALLED_APPS  # noqa: B018 -- loads (and validates) the settings
    except SettingsError as error:
        sys.stderr.write(f"{error}\n")
        sys.exit(1)
    django_execute_from_command_line(argv)
