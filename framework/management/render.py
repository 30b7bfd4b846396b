"""Rendering the project and app templates into a new directory."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand
from django.core.management.utils import get_random_secret_key

import framework

#: Files rendered with Django's template engine (by extension), besides `*.py-tpl`.
RENDERED_EXTENSIONS = ["py", "toml", "md", "txt", "yml", "env", "example", "gitignore", "dockerignore"]
RENDERED_FILES = ["Dockerfile"]
# Template files that git or Python would otherwise act on carry a `-tpl` suffix.
TEMPLATE_SUFFIXES = ((".py-tpl", ".py"), ("-tpl", ""))

TAKEN_BY_TEMPLATE = "'{name}' is the name of a folder the {kind} template creates; choose another name"
NOT_EMPTY = "'{target}' already exists and is not empty; choose a new or empty directory"
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


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise CommandError(NOT_A_DIRECTORY.format(target=target))
    if target.is_dir() and any(target.iterdir()):
        raise CommandError(NOT_EMPTY.format(target=target))


def render(kind: str, name: str, directory: str | Path | None = None, **context: Any) -> Path:
    """Render the `kind` ("project" or "app") template as `name` into `directory`.

    `directory` defaults to `./<name>`; it must not exist or be empty, so
    that no file is ever overwritten. Nothing is written unless the whole
    template renders. Raises CommandError on a bad name or directory.
    """
    renderer = _Renderer()
    renderer.app_or_project, renderer.a_or_an = kind, "an" if kind == "app" else "a"
    renderer.validate_name(name)
    if (template_dir(kind) / name).exists():
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
            template=str(template_dir(kind)),
            extensions=RENDERED_EXTENSIONS,
            files=RENDERED_FILES,
            verbosity=0,
            framework_version=framework.__version__,
            **context,
        )
        shutil.copytree(staging, target, dirs_exist_ok=True)
    return target


def start_project(name: str, directory: str | Path | None = None) -> Path:
    """Render a new project with a development secret key that is visibly insecure."""
    return render("project", name, directory, secret_key=SECRET_KEY_INSECURE_PREFIX + get_random_secret_key())


def start_app(name: str, directory: str | Path | None = None) -> Path:
    return render("app", name, directory)
