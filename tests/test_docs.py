"""The documentation: the site builds without a warning (broken links, pages missing from the nav) and
loads nothing from another site; every page is in README; every name the docs and the templates use exists."""

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from framework.management.render import start_app, start_project

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"])
TEMPLATES = sorted([*(ROOT / "project_template").rglob("*.py-tpl"), *(ROOT / "app_template").rglob("*.py-tpl")])


PAGES = sorted((ROOT / "docs").glob("*.md"))
# The modules a generated project has: its package, the example app, and the tutorial's app.
PROJECT_PACKAGES = ("mysite", "notes", "library")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return site


def test_docs_build_strict(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "tutorial.html").is_file()  # pages as files: the site reads from file:// too


def python_blocks(text: str) -> Iterator[str]:
    """The Python code blocks of a Markdown page (with a title or without)."""
    yield from re.findall(r"^```python[^\n]*\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


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
CHECK_ID = re.compile(r"framework(\.auth|\.services|\.tasks|\.observability)?\.[EW]\d{3}")


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


def test_the_python_api_page_documents_each_name_it_lists_from_its_docstring(site: Path) -> None:
    """mkdocs_hooks.py adds each listed name's reference (signature and docstring) below its table."""
    page = (ROOT / "docs" / "python-api.md").read_text()
    built = (site / "python-api.html").read_text()
    listed = [
        f"{package}.{name}"
        for package, text in re.findall(r"^## `([\w.]+)`\n(.*?)(?=^## |\Z)", page, flags=re.MULTILINE | re.DOTALL)
        for name in re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE)
    ]
    assert len(listed) > 50
    assert [name for name in listed if f'id="{name}"' not in built] == []
    # The fixtures of the pytest plugin, with their docstrings.
    assert 'id="framework.testing.plugin.client_for"' in built and "Factory: client_for(user" in built


def test_the_site_loads_nothing_from_another_site(site: Path) -> None:
    """No CDN: scripts, styles, fonts and images all come with the site, so it reads offline."""
    remote = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""", re.IGNORECASE)
    loads = [str(page.relative_to(site)) for page in site.rglob("*.html") if remote.search(page.read_text())]
    assert loads == []
    styles = [str(css.relative_to(site)) for css in site.rglob("*.css") if re.search(r"url\(\s*['\"]?(https?:)?//|@import", css.read_text())]
    assert styles == []


def nav_pages() -> list[str]:
    def walk(items):
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            yield from walk(value) if isinstance(value, list) else [value]

    return list(walk(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["nav"]))


def test_every_page_is_in_the_nav_and_in_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    assert sorted(nav_pages()) == sorted(page.name for page in PAGES)
    missing = [page for page in nav_pages() if f"(docs/{page})" not in readme]
    assert missing == []


def python_samples() -> list[tuple[str, str]]:
    return [(page.name, code) for page in PAGES for code in python_blocks(page.read_text())]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project with the tutorial's app, for the samples that import from a project."""
    project = start_project("mysite", tmp_path_factory.mktemp("docs") / "mysite")
    start_app("library", project / "library", model="Book", fields="title:str author:str published:date")
    return project


def defined_names(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {target.id for target in targets if isinstance(target, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def missing_names(code: str, project: Path) -> list[str]:
    """What `code` imports from outside the framework, or reads as an attribute of a module it imports,
    that does not exist (its framework names are the test above's)."""
    tree = ast.parse(code)
    missing, modules = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in PROJECT_PACKAGES:
            path = project.joinpath(*node.module.split(".")).with_suffix(".py")
            names = defined_names(path) if path.is_file() else set()
            missing += [f"{node.module}.{alias.name}" for alias in node.names if alias.name not in names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] != "framework":
            module = importlib.import_module(node.module)
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        missing.append(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = importlib.import_module(alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
            if not hasattr(modules[node.value.id], node.attr):
                missing.append(f"{node.value.id}.{node.attr}")
    return missing


@pytest.mark.parametrize(("page", "code"), python_samples(), ids=lambda value: value if value.endswith(".md") else "")
def test_every_name_a_code_sample_imports_exists(page: str, code: str, project: Path) -> None:
    # Relative imports (from .models import Book) name the reader's own app: the sample shows it.
    assert missing_names(code, project) == []


def test_supported_versions_are_the_ones_pyproject_admits() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    page = (ROOT / "docs" / "versions.md").read_text()
    django = next(requirement for requirement in project["dependencies"] if requirement.startswith("Django"))

    assert f"`{project['requires-python']}`" in page
    assert f"`{django}`" in page
