"""The package's layering, read from the source with ast: what each concern may import.

- framework/conf (the settings, loaded before Django is set up) imports no other
  sub-package of the framework;
- framework/api never imports framework/tasks, directly or through other modules
  of the framework, so that importing the API layer does not import Celery.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from tests.e2e.conftest import clean_environ

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "framework"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imported(node: ast.AST, path: Path) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            package = module_name(path).split(".")
            if path.name != "__init__.py":
                package = package[:-1]
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        yield base
        # `from . import views` imports a module; `from .x import name` a name, unless it is a module too.
        yield from (f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES)


def _module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """The nodes run when the module is imported: not the bodies of its functions."""
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))


@cache
def imports(module: str, *, when_imported: bool) -> frozenset[str]:
    """What `module` imports: everywhere in it, or only what runs when it is imported."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(), str(path))
    nodes = _module_level(tree) if when_imported else ast.walk(tree)
    return frozenset(name for node in nodes for name in _imported(node, path))


@cache
def runs_on_import(module: str) -> dict[str, str | None]:
    """The framework's modules importing `module` runs (packages' __init__ included), each with the one importing it."""
    parents: dict[str, str | None] = {module: None}
    pending = [module]
    while pending:
        current = pending.pop(0)
        found = set(imports(current, when_imported=True))
        for name in list(found):
            parts = name.split(".")
            found.update(".".join(parts[:length]) for length in range(1, len(parts)))
        for name in sorted(found & MODULES.keys()):
            if name not in parents:
                parents[name] = current
                pending.append(name)
    return parents


def chain(module: str, target: str) -> str:
    """How importing `module` reaches `target`, as `a -> b -> c`."""
    parents, steps, current = runs_on_import(module), [], target
    while current is not None:
        steps.append(current)
        current = parents[current]
    return " -> ".join(reversed(steps))


def in_package(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_walk_sees_the_imports_it_must_judge():
    # Relative, absolute and nested imports are all read: a blind walk would pass everything.
    assert "framework.conf.schemas.auth" in imports("framework.conf.schemas.api", when_imported=True)
    assert "framework.tasks.exceptions" in imports("framework.tasks.base", when_imported=True)
    assert "framework.tasks.heartbeat" in runs_on_import("framework.tasks")
    assert "framework.email.tasks" in imports("framework.apps", when_imported=False)
    assert "framework.email.tasks" not in imports("framework.apps", when_imported=True)


def test_the_settings_import_no_other_part_of_the_framework():
    wrong = {
        module: sorted(
            name for name in imports(module, when_imported=False)
            if in_package(name, "framework") and name != "framework" and not in_package(name, "framework.conf")
        )
        for module in MODULES
        if in_package(module, "framework.conf")
    }

    assert {module: names for module, names in wrong.items() if names} == {}


def test_the_api_layer_never_imports_the_task_queue():
    api = [module for module in MODULES if in_package(module, "framework.api")]
    wrong = {
        module: chain(module, reached)
        for module in api
        for reached in runs_on_import(module)
        if in_package(reached, "framework.tasks")
    }
    lazy = {
        module: sorted(name for name in imports(module, when_imported=False) if in_package(name, "framework.tasks"))
        for module in api
    }

    assert wrong == {}
    assert {module: names for module, names in lazy.items() if names} == {}


# Django set up with the apps the API layer's modules need, and not the framework's own app,
# whose ready() starts the task queue on purpose.
IMPORT_API = """
import sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=[
    "django.contrib.contenttypes", "django.contrib.auth", "rest_framework", "django_filters",
    "drf_spectacular", "rest_framework_api_key", "rest_framework_simplejwt.token_blacklist", "framework.auth",
])
django.setup()
for name in {modules!r}:
    __import__(name)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("celery", "kombu", "framework")))
"""


def test_importing_the_api_layer_imports_no_celery():
    modules = sorted(module for module in MODULES if in_package(module, "framework.api"))
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_API.format(modules=modules)],
        cwd=ROOT,
        env=clean_environ(PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    imported = ast.literal_eval(result.stdout.strip())
    assert set(modules) <= set(imported)
    assert [name for name in imported if name.split(".")[0] in ("celery", "kombu") or in_package(name, "framework.tasks")] == []


SYSTEM_CHECKS = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("check", "--fail-level", "CRITICAL")
print("httpx" in sys.modules)
from framework.services import ServiceClient, service
print("httpx" in sys.modules, ServiceClient.__module__, service.__module__)
"""


def test_the_system_checks_load_no_http_client_until_a_service_is_called():
    result = subprocess.run(
        [sys.executable, "-c", SYSTEM_CHECKS],
        cwd=ROOT,
        env=clean_environ(PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="tests.settings"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["False", "True", "framework.services.client", "framework.services.client"]
