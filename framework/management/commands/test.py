"""`manage.py test`: runs the project's tests with pytest."""

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the project's tests with pytest. Every argument is passed on to pytest (e.g. -q -k notes)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="arguments for pytest")

    def run_from_argv(self, argv: list[str]) -> None:
        # pytest's options are not this command's: hand them over untouched.
        if argv[2:] in (["-h"], ["--help"]):
            super().run_from_argv(argv)
        else:
            self.execute(pytest_args=argv[2:], no_color=False, force_color=False, skip_checks=True)

    def handle(self, *args: Any, pytest_args: list[str], **options: Any) -> None:
        import pytest

        # This command imports the framework before pytest loads its plugin
        # (framework.testing), so pytest warns that it cannot rewrite its asserts;
        # the plugin's assertions do not rely on rewriting.
        quiet = ["-W", "ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning"]
        code = pytest.main([*quiet, *pytest_args])
        if code != pytest.ExitCode.OK:
            raise SystemExit(int(code))
