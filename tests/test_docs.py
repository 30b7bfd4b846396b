"""The documentation: the site builds without a warning (broken links, pages missing from the nav), and
every name of the framework the docs and the templates use exists."""

import ast
import importlib
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"])
TEMPLATES = sorted([*(ROOT / "project_template").rglob("*.py-tpl"), *(ROOT / "app_template").rglob("*.py-tpl")])


def test_docs_build_strict(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr


def python_blocks(text: str) -> Iterator[str]:
    """The Python code blocks of a Markdown page."""
    yield from re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def framework_imports(source: str) -> Iterator[ast.stmt]:
    """The `import framework...` and `from framework... import ...` statements of some Python (a template's too)."""
    for match in re.finditer(r"^[ \t]*((?:from|import) framework[\w.]*(?: import (?:\([^)]*\)|[^\n]*))?)", source, re.MULTILINE):
        yield from ast.parse(match.group(1)).body


SOURCES = {
    **{str(path.relative_to(ROOT)): "\n".join(python_blocks(path.read_text())) for path in DOCS},
    **{str(path.relative_to(ROOT)): path.read_text() for path in TEMPLATES},
}


def resolve(dotted: str) -> object:
    """The module or attribute `dotted` names, importing modules along the way."""
    parts = dotted.split(".")
    for length in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:length]))
        except ModuleNotFoundError:
            continue
        for name in parts[length:]:
            found = getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


def test_the_docs_and_templates_import_from_the_framework():
    assert sum(1 for source in SOURCES.values() for _ in framework_imports(source)) > 20  # the scan finds them


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_framework_name_the_docs_and_templates_import_exists(source):
    missing = []
    for statement in framework_imports(SOURCES[source]):
        if isinstance(statement, ast.ImportFrom):
            names = [f"{statement.module}.{alias.name}" for alias in statement.names]
        else:
            names = [alias.name for alias in statement.names]
        for name in names:
            try:
                resolve(name)
            except (ImportError, AttributeError) as error:
                missing.append(f"{name}: {error}")

    assert missing == []


# Dotted names in the prose that are not Python objects: a logger, a task's name, check ids.
NOT_OBJECTS = {"framework.access", "framework.email.send"}
CHECK_ID = re.compile(r"framework(\.auth)?\.[EW]\d{3}")


@pytest.mark.parametrize("page", [str(path.relative_to(ROOT)) for path in DOCS])
def test_every_framework_name_the_docs_mention_exists(page):
    names = set(re.findall(r"`(framework(?:\.[A-Za-z_]\w*)+)(?:\(\))?`", (ROOT / page).read_text()))
    missing = []
    for name in sorted(names - NOT_OBJECTS):
        if CHECK_ID.fullmatch(name):
            continue
        try:
            resolve(name)
        except (ImportError, AttributeError) as error:
            missing.append(f"{name}: {error}")

    assert missing == []


def test_the_python_api_page_lists_each_public_name_and_only_those():
    page = (ROOT / "docs" / "python-api.md").read_text()
    listed = {}
    for section in re.split(r"^## ", page, flags=re.MULTILINE)[1:]:
        package = re.match(r"`([\w.]+)`", section).group(1)
        listed[package] = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)

    for package, names in listed.items():
        module = importlib.import_module(package)
        assert [name for name in names if not hasattr(module, name)] == [], package
        public = getattr(module, "__all__", names)
        assert sorted(set(public) - set(names)) == [], f"{package}: not on the Python API page"
