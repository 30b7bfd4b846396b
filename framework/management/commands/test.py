"""`manage.py test`: runs the project's tests with pytest."""

import argparse
import importlib
import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

#: The test tools, from the `testing` extra.
TOOLS = ("pytest", "pytest_django")
MISSING = "{module} is not installed, so the tests cannot run: pip install 'framework[testing]'"


def import_pytest() -> ModuleType:
    """pytest, once the testing extra's tools are found; else CommandError saying which extra to install."""
    for module in TOOLS:
        try:
            importlib.import_module(module)
        except ImportError:
            raise CommandError(MISSING.format(module=module)) from None
    return importlib.import_module("pytest")


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
            try:
                self.execute(pytest_args=argv[2:], no_color=False, force_color=False, skip_checks=True)
            except CommandError as error:
                # As BaseCommand.run_from_argv reports it: one line, no traceback.
                self.stderr.write(f"CommandError: {error}")
                sys.exit(error.returncode)

    def handle(self, *args: Any, pytest_args: list[str], **options: Any) -> None:
        pytest = import_pytest()

        # This command imports the framework before pytest loads its plugin
        # (framework.testing), so pytest warns that it cannot rewrite its asserts;
        # the plugin's assertions do not rely on rewriting.
        quiet = ["-W", "ignore:Module already imported so cannot be rewritten:pytest.PytestAssertRewriteWarning"]
        code = pytest.main([*quiet, *pytest_args])
        if code != pytest.ExitCode.OK:
            raise SystemExit(int(code))
