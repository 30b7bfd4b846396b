"""The documentation: the site builds without a warning and loads nothing from another site; every page is
listed in README; every name a code sample imports, and every `framework.*` name a page mentions, exists."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from framework.management.render import start_app, start_project

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
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
    samples = []
    for page in PAGES:
        for code in re.findall(r"^```python[^\n]*\n(.*?)^```$", page.read_text(), re.MULTILINE | re.DOTALL):
            samples.append((page.name, code))
    return samples


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
    """What `code` imports, or reads as an attribute of a module it imports, that does not exist."""
    tree = ast.parse(code)
    missing, modules = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module.split(".")[0] in PROJECT_PACKAGES:
            path = project.joinpath(*node.module.split(".")).with_suffix(".py")
            names = defined_names(path) if path.is_file() else set()
            missing += [f"{node.module}.{alias.name}" for alias in node.names if alias.name not in names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
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


def resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


def test_every_framework_name_the_pages_mention_exists() -> None:
    """A dotted `framework.*` name is an importable module or attribute, or a name the code gives
    something (a logger, a task) as a string; system check ids (framework.E001) are not names."""
    code = "\n".join(path.read_text() for path in (ROOT / "framework").rglob("*.py"))
    mentioned = {
        (page.name, name)
        for page in PAGES
        for name in re.findall(r"`(framework(?:\.[A-Za-z_]\w*)+)(?:\(\))?`", page.read_text())
        if not re.fullmatch(r"framework\.[EW]\d{3}", name)
    }
    unknown = [(page, name) for page, name in mentioned if not resolves(name) and f'"{name}"' not in code]
    assert sorted(unknown) == []


def test_supported_versions_are_the_ones_pyproject_admits() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    page = (DOCS / "versions.md").read_text()
    django = next(requirement for requirement in project["dependencies"] if requirement.startswith("Django"))

    assert f"`{project['requires-python']}`" in page
    assert f"`{django}`" in page
