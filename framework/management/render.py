"""Rendering the project and app templates into a new directory."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand
from django.core.management.utils import get_random_secret_key

import framework

from .project import route_owner
from .requirement import checked_requirement, installed_requirement, local_wheel, with_extra
from .resources import resource
from .upgrade import new_record, write_record

#: Files rendered with Django's template engine (by extension), besides `*.py-tpl`.
RENDERED_EXTENSIONS = ["py", "toml", "md", "txt", "yml", "env", "example", "gitignore", "dockerignore"]
RENDERED_FILES = ["Dockerfile"]
# Template files that git or Python would otherwise act on carry a `-tpl` suffix.
TEMPLATE_SUFFIXES = ((".py-tpl", ".py"), ("-tpl", ""))

TAKEN_BY_TEMPLATE = "'{name}' is the name of a folder the {kind} template creates; choose another name"
NOT_EMPTY = "'{target}' already exists and is not empty; choose a new or empty directory"
ROUTE_TAKEN = "/api/v1/{route}/ is taken already by {api}; name another model than {model} with --model"
NOT_A_DIRECTORY = "'{target}' exists and is not a directory"


def template_dir(kind: str) -> Path:
    """Where the `project` or `app` template is: inside the installed package, or in a source checkout."""
    package = Path(framework.__file__).resolve().parent
    for candidate in (package / f"{kind}_template", package.parent / f"{kind}_template"):
        if candidate.is_dir():
            return candidate
    raise CommandError(f"the {kind} template is missing from the framework package; reinstall it")


class _Renderer(TemplateCommand):
    rewrite_template_suffixes = TEMPLATE_SUFFIXES

    def __init__(self, *, check_name: bool = True) -> None:
        super().__init__()
        self.check_name = check_name

    def validate_name(self, name: str, name_or_dir: str = "name") -> None:
        # A name read back from a project's record was checked when it was new; checking it again
        # would find the project's own package, importable from inside it.
        if self.check_name:
            super().validate_name(name, name_or_dir)


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise CommandError(NOT_A_DIRECTORY.format(target=target))
    if target.is_dir() and any(target.iterdir()):
        raise CommandError(NOT_EMPTY.format(target=target))


def render(
    kind: str,
    name: str,
    directory: str | Path | None = None,
    *,
    template: Path | None = None,
    finish: Callable[[Path], None] | None = None,
    check_name: bool = True,
    **context: Any,
) -> Path:
    """Render the `kind` ("project" or "app") template as `name` into `directory`.

    `directory` defaults to `./<name>`; it must not exist or be empty, so
    that no file is ever overwritten. `template` is another template folder
    than the framework's; `finish(folder)` adds to the rendered files before
    they are copied. Nothing is written unless all of it succeeds. Raises
    CommandError on a bad name or directory.
    """
    template = template or template_dir(kind)
    renderer = _Renderer(check_name=check_name)
    renderer.app_or_project, renderer.a_or_an = kind, "an" if kind == "app" else "a"
    renderer.validate_name(name)
    if check_name and (template / name).exists():
        raise CommandError(TAKEN_BY_TEMPLATE.format(name=name, kind=kind))
    target = Path(directory if directory is not None else name).expanduser().resolve()
    _check_target(target)
    with tempfile.TemporaryDirectory(prefix="framework-render-") as scratch:
        # A fresh folder inside the private scratch one, so the copy gets ordinary permissions.
        staging = Path(scratch) / name
        staging.mkdir()
        renderer.handle(
            kind,
            name,
            str(staging),
            template=str(template),
            extensions=RENDERED_EXTENSIONS,
            files=RENDERED_FILES,
            verbosity=0,
            framework_version=framework.__version__,
            **context,
        )
        if finish is not None:
            finish(staging)
        shutil.copytree(staging, target, dirs_exist_ok=True)
    return target


def render_project(
    name: str,
    directory: str | Path | None = None,
    *,
    framework_requirement: str | None = None,
    template: Path | None = None,
    check_name: bool = True,
    finish: Callable[[Path], None] | None = None,
) -> Path:
    """The project template rendered, as it is before startproject adds its record and the wheel."""
    return render(
        "project",
        name,
        directory,
        template=template,
        finish=finish,
        check_name=check_name,
        # Only .env holds it, and upgrade leaves .env alone: a new key for each render is harmless.
        secret_key=SECRET_KEY_INSECURE_PREFIX + get_random_secret_key(),
        framework_requirement=(requirement := framework_requirement or installed_requirement()),
        # The test tools, from the same source as the framework itself.
        testing_requirement=with_extra(requirement, "testing"),
    )


def start_project(
    name: str,
    directory: str | Path | None = None,
    *,
    framework_requirement: str | None = None,
    template: Path | None = None,
) -> Path:
    """Render a new project, with a development secret key that is visibly insecure, and its record.

    The project depends on the framework as `framework_requirement` says,
    or, by default, the way pip installed this framework (see
    requirement.py). A framework installed from a wheel file leaves a copy
    of it in the project's `wheels/`, from which its Docker image installs it.
    """
    if framework_requirement is not None:
        try:
            framework_requirement = checked_requirement(framework_requirement)
        except ValueError as error:
            raise CommandError(str(error)) from None

    def finish(folder: Path) -> None:
        write_record(folder, new_record(folder, name=name, framework_requirement=framework_requirement))
        wheel = local_wheel(framework_requirement or installed_requirement())
        if wheel is not None:
            shutil.copy2(wheel, folder / "wheels" / wheel.name)

    return render_project(
        name, directory, framework_requirement=framework_requirement, template=template, finish=finish
    )


def start_app(
    name: str, directory: str | Path | None = None, *, model: str | None = None, fields: str | None = None
) -> Path:
    """Render a new app around the model `model` (default Item) with `fields` ("title:str published:date").

    A bad model name or field spec raises CommandError before anything is written.
    """
    try:
        app_resource = resource(app_name=name, model=model, fields=fields)
    except ValueError as error:
        raise CommandError(str(error)) from None
    target = Path(directory if directory is not None else name).expanduser().resolve()
    if (taken := route_owner(target.parent, app_resource.route)) is not None:
        raise CommandError(
            ROUTE_TAKEN.format(route=app_resource.route, api=taken.relative_to(target.parent), model=app_resource.model)
        )
    return render("app", name, directory, resource=app_resource)
