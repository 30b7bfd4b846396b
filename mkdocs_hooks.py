"""The documentation site's build hook: the Python API page gets its reference, built from the docstrings.

docs/python-api.md lists each package's public names in a table. Below each
table, this adds mkdocstrings' `::: package.name` for every name of it, and
links each name of the table to its entry, so the one list stays the only
list. mkdocstrings reads the code without importing it (griffe).
"""

from __future__ import annotations

import re
from typing import Any

PAGE = "python-api.md"
#: Besides the names of the tables: the pytest plugin's fixtures, under framework.testing.
FIXTURES = "framework.testing.plugin"
_SECTION = re.compile(r"^## `(?P<package>[\w.]+)`$", re.MULTILINE)
_ROW = re.compile(r"^\| `(?P<name>\w+)` \|", re.MULTILINE)


def _reference(package: str, names: list[str]) -> str:
    entries = [f"::: {package}.{name}\n    options:\n      heading_level: 4\n" for name in names]
    if package == "framework.testing":
        entries.append(
            f"#### The fixtures\n\n::: {FIXTURES}\n    options:\n      show_root_heading: false\n"
            # A fixture's own parameters are the fixtures it uses, not what a test passes it.
            "      heading_level: 5\n      show_signature: false\n      filters: [\"!^_\", \"!^pytest_\"]\n"
        )
    return "\n".join(["", '??? info "Reference: each name\'s signature and docstring"', ""] + [
        "    " + line if line else "" for entry in entries for line in (entry + "\n").splitlines()
    ]) + "\n"


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    if page.file.src_uri != PAGE:
        return markdown
    parts = _SECTION.split(markdown)
    # parts: the text before the first section, then (package, its text) pairs.
    out = [parts[0]]
    for package, text in zip(parts[1::2], parts[2::2]):
        names = _ROW.findall(text)
        linked = _ROW.sub(lambda row: f"| [`{row['name']}`](#{package}.{row['name']}) |", text)
        out.append(f"## `{package}`" + linked.rstrip("\n") + "\n" + (_reference(package, names) if names else "") + "\n")
    return "".join(out)
