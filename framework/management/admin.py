"""`framework-admin`: creates projects and apps."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from django.core.management.base import CommandError

import framework

from .render import start_app, start_project

NEXT_STEPS = """\
Created the project {name} in {target}

Next:
  cd {relative}
  python manage.py migrate
  python manage.py runserver     # API at http://127.0.0.1:8000/api/v1/
  pip install --group dev        # the test tools, framework[testing] (pip 25.1 or newer)
  python manage.py test
"""
APP_NEXT_STEPS = """\
Created the app {name} in {target}

Next: add "{name}" to INSTALLED_APPS in settings.py, then
  python manage.py makemigrations {name}
  python manage.py migrate
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: the help is one flag away.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="framework-admin", description="Create framework projects and apps.")
    parser.add_argument("--version", action="version", version=f"framework {framework.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    project = commands.add_parser(
        "startproject",
        help="create a project: settings, API, task queue, tests and deployment files",
        description="Create a project NAME in DIRECTORY (default: ./NAME).",
    )
    app = commands.add_parser(
        "startapp",
        help="create an app: model, serializer, viewset, services, tasks, admin and tests",
        description="Create an app NAME in DIRECTORY (default: ./NAME), inside a project.",
    )
    for command, noun in ((project, "project"), (app, "app")):
        command.add_argument("name", help=f"the {noun}'s name: a Python identifier, not an existing module")
        command.add_argument("directory", nargs="?", help="where to create it: a new or empty directory")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "startproject":
            target = start_project(args.name, args.directory)
            relative = Path(target).relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
            sys.stdout.write(NEXT_STEPS.format(name=args.name, target=target, relative=relative))
        else:
            target = start_app(args.name, args.directory)
            sys.stdout.write(APP_NEXT_STEPS.format(name=args.name, target=target))
    except CommandError as error:
        sys.stderr.write(f"framework-admin: error: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
