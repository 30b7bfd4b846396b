"""System checks on the auth configuration: backends and permissions that cannot be imported."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils.module_loading import import_string

E001 = "REST_FRAMEWORK[{key!r}] names {path!r}, which cannot be imported: {error}."
E001_HINT = "Fix the import string in {variable}, or install the package that provides it."

VARIABLES = {
    "DEFAULT_AUTHENTICATION_CLASSES": "API_AUTHENTICATION",
    "DEFAULT_PERMISSION_CLASSES": "API_DEFAULT_PERMISSIONS",
}


@register(Tags.security)
def check_importable_classes(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.auth.E001: an authentication or permission class that does not import."""
    errors = []
    for key, variable in VARIABLES.items():
        for path in getattr(settings, "REST_FRAMEWORK", {}).get(key, []):
            try:
                import_string(path)
            except ImportError as error:
                errors.append(
                    Error(
                        E001.format(key=key, path=path, error=error),
                        hint=E001_HINT.format(variable=variable),
                        id="framework.auth.E001",
                    )
                )
    return errors


W001 = (
    "Throttles count in the local-memory cache, which each process keeps for itself: with {workers} "
    "`serve` worker processes a caller gets up to {workers} times each THROTTLE_*_RATE (and a write "
    "invalidates cached responses in its own process only)."
)
W001_HINT = "Set REDIS_URL (or CACHE_URL=redis://...) so that every process and instance shares one cache, or WEB_CONCURRENCY=1."


def check_throttle_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.auth.W001: `serve` runs several processes, and throttles count in each one's local memory.

    Run by `manage.py serve` (framework.server.checks), where the number of processes is known.
    """
    from framework.server.gunicorn import options

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    throttles = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_CLASSES", [])
    workers = options()["workers"]
    if not backend.endswith("locmem.LocMemCache") or not throttles or workers < 2:
        return []
    return [Warning(W001.format(workers=workers), hint=W001_HINT, id="framework.auth.W001")]
