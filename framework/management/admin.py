"""`framework-admin`: creates projects and apps, and shows what a newer template changes in a project."""

from __future__ import annotations

import argparse
import functools
import sys
import tomllib
from pathlib import Path
from typing import NoReturn

from django.core.management.base import CommandError

import framework

from .project import add_app, line_to_add
from . import upgrade
from .render import render_project, start_app, start_project
from .resources import DEFAULT_FIELDS, DEFAULT_MODEL, TYPE_NAMES, resource

NEXT_STEPS = """\
Created the project {name} in {target}
It depends on {requirement}

Next:
  cd {relative}
  python manage.py migrate
  python manage.py runserver     # http://127.0.0.1:8000/ links to the API, its docs and the admin
  pip install --group dev        # the test tools, framework[testing] (pip 25.1 or newer)
  python manage.py test
"""
APP_CREATED = """\
Created the app {name} in {target}: {model} at /api/v1/{route}/
"""
APP_ADDED = """\
Added "{name}" to INSTALLED_APPS in {settings}

Next:
  python manage.py migrate
  python manage.py test {name}
"""
APP_TO_ADD = """\
Next: add the app to INSTALLED_APPS in your settings module:
  {line}
then run
  python manage.py migrate
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: the help is one flag away.
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="framework-admin", description="Create framework projects and apps, and upgrade projects.")
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
    upgrader = commands.add_parser(
        "upgrade",
        help="show what the current project template changes in a project; --apply the safe part",
        description="Compare the project in DIRECTORY (default: .) with the current project template, file by "
        "file. Nothing is written without --apply, and never a file you changed.",
    )
    for command, noun in ((project, "project"), (app, "app")):
        command.add_argument("name", help=f"the {noun}'s name: a Python identifier, not an existing module")
        command.add_argument("directory", nargs="?", help="where to create it: a new or empty directory")
    project.add_argument(
        "--framework",
        metavar="REQUIREMENT",
        help="how the project depends on the framework, as pip reads it: 'framework>=0.2' (from an index) or "
        "'framework @ git+https://...' (default: the way this framework was installed)",
    )
    upgrader.add_argument("directory", nargs="?", default=".", help="the project's folder (default: .)")
    upgrader.add_argument(
        "--apply",
        action="store_true",
        help="update the files only the template changed and create the new ones (refused over uncommitted changes)",
    )
    app.add_argument(
        "--model",
        metavar="MODEL",
        help=f"the app's model, a class name such as Book, served at /api/v1/books/ (default: {DEFAULT_MODEL})",
    )
    app.add_argument(
        "--fields",
        metavar="SPEC",
        help='the model\'s fields as name:type, e.g. "title:str published:date?" (? for optional; '
        f"types: {TYPE_NAMES}; default: {DEFAULT_FIELDS})",
    )
    return parser


def _start_app(args: argparse.Namespace) -> None:
    target = start_app(args.name, args.directory, model=args.model, fields=args.fields)
    app = resource(app_name=args.name, model=args.model, fields=args.fields)
    sys.stdout.write(APP_CREATED.format(name=args.name, target=target, model=app.model, route=app.route))
    # Inside a project (the new app next to its manage.py), the app joins its settings.
    settings = add_app(target.parent, args.name)
    if settings is not None:
        sys.stdout.write(APP_ADDED.format(name=args.name, settings=settings.relative_to(target.parent)))
    else:
        sys.stdout.write(APP_TO_ADD.format(line=line_to_add(args.name)))


def _start_project(args: argparse.Namespace) -> None:
    target = start_project(args.name, args.directory, framework_requirement=args.framework)
    relative = Path(target).relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target
    requirement = tomllib.loads((target / "pyproject.toml").read_text())["project"]["dependencies"][0]
    sys.stdout.write(NEXT_STEPS.format(name=args.name, target=target, relative=relative, requirement=requirement))


def _upgrade(args: argparse.Namespace) -> None:
    root = Path(args.directory).resolve()
    record = upgrade.read_record(root)
    if args.apply:
        upgrade.require_committed(root)
    changes = upgrade.plan(root, record, functools.partial(render_project, check_name=False))
    if args.apply:
        upgrade.apply(root, record, changes)
    sys.stdout.write(upgrade.report(record, changes, applied=args.apply))


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    commands = {"startproject": _start_project, "startapp": _start_app, "upgrade": _upgrade}
    try:
        commands[args.command](args)
    except CommandError as error:
        sys.stderr.write(f"framework-admin: error: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
