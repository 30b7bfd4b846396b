"""Collected static files: whether they are there and up to date, collected by `serve` when not, and a readiness check."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks
from django.core.management import call_command

MISSING = "the static files are not collected in STATIC_ROOT ({root})"
STALE = "the static files in STATIC_ROOT ({root}) are out of date: {path} changed since they were collected"
UNREADABLE = "the static files in STATIC_ROOT ({root}) cannot be read"
CANNOT_COLLECT = (
    "{problem}, and collecting them there failed ({error}): run `python manage.py collectstatic --noinput` "
    "where STATIC_ROOT is writable (when the image is built), then serve again"
)
NOT_READY = "{problem}: run `python manage.py collectstatic --noinput`"


def uses_manifest() -> bool:
    """Static files are served by their hashed names from a manifest (with DEBUG off): they must be collected."""
    return isinstance(staticfiles_storage, ManifestFilesMixin)


def problem() -> str | None:
    """Why the collected static files would not serve the pages, or None when they are there and up to date."""
    if not uses_manifest():
        return None
    root = Path(settings.STATIC_ROOT)
    manifest = root / staticfiles_storage.manifest_name
    try:
        collected = manifest.stat().st_mtime
    except OSError:
        return MISSING.format(root=root)
    known, _ = staticfiles_storage.load_manifest()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefixed = os.path.join(storage.prefix, path) if getattr(storage, "prefix", None) else path
            prefixed = prefixed.replace(os.sep, "/")
            if prefixed not in known or os.stat(storage.path(path)).st_mtime > collected:
                return STALE.format(root=root, path=prefixed)
    return None


def collect_if_needed() -> str | None:
    """Collect the static files when they are missing or out of date; the reason it did, or None.

    Raises OSError, with a message naming the command to run, when they cannot be collected.
    """
    found = None
    try:
        found = problem()
        if found is None:
            return None
        call_command("collectstatic", interactive=False, verbosity=0)
    except OSError as error:
        found = found or UNREADABLE.format(root=settings.STATIC_ROOT)
        raise OSError(CANNOT_COLLECT.format(problem=found, error=error.strerror or error)) from error
    return found


def register_check() -> None:
    """The readiness check `static_files`, where static files must be collected."""
    if uses_manifest():
        from framework.health import health_check

        health_check(name="static_files")(check_static_files)


def check_static_files() -> list[checks.CheckMessage]:
    """Readiness: the pages (the admin, the API's docs and browsable views) have their static files."""
    found = problem()
    return [checks.Error(NOT_READY.format(problem=found))] if found else []
