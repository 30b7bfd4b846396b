"""Fixtures for tests that render a project with framework-admin and run it in subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
import pytest

from framework.conf.schemas import BUILTIN_SCHEMAS
from framework.testing.ports import free_port  # noqa: F401 -- the tests' free ports
from framework.testing.processes import Process, answers_http

BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parents[2]
#: The fields of the Book model of the e2e project: one of each type startapp knows, some optional.
BOOK_FIELDS = (
    "title:str author:str? summary:text? pages:int price:decimal? in_print:bool published:date "
    "added:datetime? contact:email? website:url?"
)


def clean_environ(**extra: str) -> dict[str, str]:
    """The environment a new user's shell would have: none of the test run's Django or settings variables."""
    settings_variables = {name for schema in BUILTIN_SCHEMAS for name in schema.variables()}
    environ = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_SETTINGS_MODULE" and name.removesuffix("_FILE") not in settings_variables
    }
    return {**environ, **extra}


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=env or clean_environ(), capture_output=True, text=True, timeout=timeout
    )


def manage(project: Path, *args: str, **environ: str) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], cwd=project, env=clean_environ(**environ))


@contextmanager
def serving(args: list[str], *, cwd: Path, port: int, env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[str]:
    """Run a server process until it answers on `port`; yield its base URL; stop it after."""
    url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp(prefix="serving-")) / "server.log"
    with Process(args, log=log, cwd=cwd, env=env or clean_environ(), name="server") as server:
        server.wait_until(answers_http(url + "/"), timeout=timeout, what=f"answer on {url}")
        yield url


@pytest.fixture(scope="module")
def project(rendered_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project rendered by `framework-admin startproject mysite`, with an app from `startapp`, migrated.

    Each module gets a copy of its own, which its tests may change: rendered once per session.
    """
    copy = tmp_path_factory.mktemp("e2e") / rendered_project.name
    shutil.copytree(rendered_project, copy, symlinks=True)
    return copy


@pytest.fixture(scope="session")
def rendered_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project `project` copies; not to be changed by tests."""
    root = tmp_path_factory.mktemp("e2e-rendered")
    result = run([str(BIN / "framework-admin"), "startproject", "mysite"], cwd=root)
    assert result.returncode == 0, result.stderr
    project = root / "mysite"
    # startapp adds the app to INSTALLED_APPS and writes its first migration.
    result = run([str(BIN / "framework-admin"), "startapp", "library", "--model", "Book", "--fields", BOOK_FIELDS], cwd=project)
    assert result.returncode == 0, result.stderr
    result = manage(project, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def dependencies(project: Path) -> list[str]:
    """The dependencies a project's pyproject.toml lists."""
    return tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]


def fresh_venv(path: Path, *, python: str = sys.executable) -> Path:
    """A new virtualenv at `path`, with nothing installed in it but pip; returns its python."""
    result = run([python, "-m", "venv", str(path)], cwd=path.parent)
    assert result.returncode == 0, result.stderr
    return path / "bin" / "python"


def pip_install(python: Path, *requirements: str, options: tuple[str, ...] = ()) -> None:
    result = run([str(python), "-m", "pip", "install", "-q", *options, *requirements], cwd=python.parent, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def framework_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The framework's wheel, built from this checkout once per test session."""
    dist = tmp_path_factory.mktemp("dist")
    result = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPOSITORY)], cwd=dist)
    assert result.returncode == 0, result.stderr
    return next(dist.glob("framework-*.whl"))


@pytest.fixture(scope="session")
def wheel_site(framework_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a framework installed from the wheel, ahead of this one's (its dependencies are ours)."""
    site = tmp_path_factory.mktemp("wheel-site")
    result = run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(framework_wheel)], cwd=site)
    assert result.returncode == 0, result.stderr
    return clean_environ(PYTHONPATH=str(site))


@pytest.fixture(scope="session")
def wheel_project(wheel_site: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project generated by the framework installed from its wheel: it depends on that wheel."""
    root = tmp_path_factory.mktemp("from-wheel")
    result = run([sys.executable, "-m", "framework.management.admin", "startproject", "mysite"], cwd=root, env=wheel_site)
    assert result.returncode == 0, result.stderr
    return root / "mysite"


@pytest.fixture(scope="session")
def wheel_venv(wheel_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel project's dependencies, from its pyproject.toml; returns its python."""
    python = fresh_venv(tmp_path_factory.mktemp("venv-wheel") / "venv")
    # As a new user installs it: on the newest stack with `'django>=6.1'`, which pip takes on Python 3.12+ anyway.
    pip_install(python, *dependencies(wheel_project), *(["django>=6.1"] if django.VERSION >= (6, 1) else []))
    return python
