"""Fixtures for tests that render a project with framework-admin and run it in subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from framework.conf.schemas import BUILTIN_SCHEMAS

BIN = Path(sys.executable).parent
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(args: list[str], *, cwd: Path, port: int, env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[str]:
    """Run a server process until it answers on `port`; yield its base URL; stop it after."""
    process = subprocess.Popen(args, cwd=cwd, env=env or clean_environ(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{process.stdout.read()}")
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers: any status will do here
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not answer on {url} within {timeout}s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project rendered by `framework-admin startproject mysite`, with an app from `startapp`, migrated."""
    root = tmp_path_factory.mktemp("e2e")
    result = run([str(BIN / "framework-admin"), "startproject", "mysite"], cwd=root)
    assert result.returncode == 0, result.stderr
    project = root / "mysite"
    # startapp adds the app to INSTALLED_APPS and writes its first migration.
    result = run([str(BIN / "framework-admin"), "startapp", "library", "--model", "Book", "--fields", BOOK_FIELDS], cwd=project)
    assert result.returncode == 0, result.stderr
    result = manage(project, "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    return project
