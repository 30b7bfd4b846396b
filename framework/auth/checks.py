"""System checks on the auth configuration: backends and permissions that cannot be imported."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
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
