"""The project around a new app, as `startproject` wrote it: its settings and the routes its apps take."""

from __future__ import annotations

import re
from pathlib import Path

# manage.py of the template: os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
_SETTINGS_MODULE = re.compile(r"""setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']""")
# settings.py of the template: INSTALLED_APPS += [  # noqa ...\n    "notes",\n]
# api.py of the templates: router.register("notes", NoteViewSet, ...)
_ROUTE = re.compile(r"""router\.register\(\s*["']([^"']+)["']""")
_APPS_LIST = re.compile(r"^INSTALLED_APPS \+= \[[^\n]*\n(?P<items>(?:[ \t]+[^\n]*\n)*?)\]", re.MULTILINE)


def settings_file(project: Path) -> Path | None:
    """The settings module `project`'s manage.py names, if `project` has one and the file exists."""
    manage = project / "manage.py"
    if not manage.is_file():
        return None
    match = _SETTINGS_MODULE.search(manage.read_text(encoding="utf-8"))
    if match is None:
        return None
    path = project.joinpath(*match[1].split(".")).with_suffix(".py")
    return path if path.is_file() else None


def line_to_add(app_name: str) -> str:
    return f'INSTALLED_APPS += ["{app_name}"]'


def add_app(project: Path, app_name: str) -> Path | None:
    """Append `app_name` to the `INSTALLED_APPS += [...]` list of `project`'s settings.

    Returns the settings file it changed, or None when it found no such
    list to extend (the caller then tells the user the line to add). An
    app already listed is not added twice.
    """
    path = settings_file(project)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    match = _APPS_LIST.search(text)
    if match is None:
        return None
    items = match["items"]
    if re.search(rf"""["']{re.escape(app_name)}["']""", items):
        return path
    indent = re.match(r"[ \t]*", items)[0] if items else "    "
    line = f'{indent}"{app_name}",\n'
    path.write_text(text[: match.end("items")] + line + text[match.end("items") :], encoding="utf-8")
    return path


def route_owner(project: Path, route: str) -> Path | None:
    """The `api.py` of an app of `project` that registers `route` already, if any."""
    for api in sorted(project.glob("*/api.py")):
        if route in _ROUTE.findall(api.read_text(encoding="utf-8")):
            return api
    return None
