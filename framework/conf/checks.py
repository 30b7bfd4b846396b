"""System checks on the configuration: what the schemas cannot see one setting at a time."""

from __future__ import annotations

import difflib
import importlib.util
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .environment import FILE_SUFFIX, Environment, UnreadableFile
from .loader import configured_schemas
from .settings import SETTING, closest_key, framework_settings

# Names this short match too much of an ordinary environment to guess at.
MISSPELLING_MIN_LENGTH = 6
# High enough that DATABASE_USER is not taken for DATABASE_URL.
MISSPELLING_CUTOFF = 0.9

W001 = "{name} is set but is not a setting; did you mean {candidate}?"
E001 = "The database is {engine}, but its driver is not installed."
E001_HINT = "Install the postgres extra: pip install 'framework[postgres]'."
W002 = "The database is SQLite while DEBUG is off."
W002_HINT = "Set DATABASE_URL to a PostgreSQL database for production."
W004 = "{variable} is deprecated: framework {removed_in} removes it."
W004_HINT_RENAMED = "Rename it to {instead}; until then it is read as {instead}."
W004_HINT_BOTH = "Remove it: {instead} is set too, and is the one read."
W004_HINT = "Instead: {instead}."
W004_HINT_NONE = "Remove it; it will have no effect."
E002 = "FRAMEWORK sets {key!r}, which is not a framework setting, so it has no effect."
E002_HINT = "Did you mean {candidate!r}?"
E002_HINT_NONE = "Remove it; the framework's settings are its schemas' variables (manage.py settings)."
W003 = "{name} is set as a Django setting, which the framework no longer reads."
W003_HINT = "Set FRAMEWORK[{key!r}] instead (see docs/configuration.md), or its environment variable."

#: Settings of earlier releases that moved into FRAMEWORK: old name -> key. (TASKS is Django 6's own now.)
MOVED = {
    "LOG_ACCESS": "LOG_ACCESS",
    "API_PATH_PREFIX": "API_PATH_PREFIX",
    "MAX_REQUEST_BODY_SIZE": "MAX_REQUEST_BODY_SIZE",
    "API_MAX_PAGE_SIZE": "API_MAX_PAGE_SIZE",
    "SERVICE_NAME": "SERVICE_NAME",
    "SERVICE_VERSION": "SERVICE_VERSION",
    "SERVICE_BUILD": "SERVICE_BUILD",
    "HEALTH_CHECK_TIMEOUT": "HEALTH_CHECK_TIMEOUT",
    "SERVER": "HOST",
    "FRAMEWORK_SCHEMAS": "SCHEMAS",
}


def _known_variables() -> set[str]:
    names = set()
    for schema in configured_schemas():
        names.update(schema.variables(), schema.deprecated_variables())
    return names


@register(Tags.compatibility)
def check_misspelled_variables(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.W001: a set variable that looks like a misspelled setting."""
    known = _known_variables()
    warnings = []
    for name in sorted(Environment(settings.BASE_DIR).names()):
        base = name.removesuffix(FILE_SUFFIX)
        if base in known or len(base) < MISSPELLING_MIN_LENGTH:
            continue
        candidates = difflib.get_close_matches(base, known, n=1, cutoff=MISSPELLING_CUTOFF)
        if candidates:
            candidate = candidates[0] + name[len(base):]
            warnings.append(
                Warning(
                    W001.format(name=name, candidate=candidate),
                    hint=f"Rename it to {candidate}; as it is, it has no effect.",
                    id="framework.W001",
                )
            )
    return warnings


@register(Tags.compatibility)
def check_deprecated_variables(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.W004: a deprecated setting is set, or a renamed one under its former name."""
    environment = Environment(settings.BASE_DIR)

    def is_set(variable: str) -> bool:
        try:
            return environment.get(variable) is not None
        except UnreadableFile:
            return True  # set, to a file the loader reported already

    warnings = []
    for schema in configured_schemas():
        current = schema.variables()
        for variable, deprecation in sorted(schema.deprecated_variables().items()):
            if not is_set(variable):
                continue
            if deprecation.instead in current and variable not in current:
                template = W004_HINT_BOTH if is_set(deprecation.instead) else W004_HINT_RENAMED
            else:
                template = W004_HINT if deprecation.instead else W004_HINT_NONE
            warnings.append(
                Warning(
                    W004.format(variable=variable, removed_in=deprecation.removed_in),
                    hint=template.format(instead=deprecation.instead),
                    id="framework.W004",
                )
            )
    return warnings


# Not tagged `database`: Django 6 runs such checks only with --database, and these
# read settings, never the database, so `check` and `check --deploy` must show them.
@register(Tags.compatibility)
def check_database_driver(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.E001: PostgreSQL configured without psycopg."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("postgresql") and importlib.util.find_spec("psycopg") is None:
        if importlib.util.find_spec("psycopg2") is None:
            return [Error(E001.format(engine="PostgreSQL"), hint=E001_HINT, id="framework.E001")]
    return []


@register(Tags.compatibility, deploy=True)
def check_production_database(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.W002: SQLite in production."""
    if not settings.DEBUG and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return [Warning(W002, hint=W002_HINT, id="framework.W002")]
    return []


@register(Tags.compatibility)
def check_framework_keys(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.E002: a key of the FRAMEWORK setting the framework does not know, which would have no effect."""
    known = framework_settings.defaults
    errors = []
    for key in getattr(settings, SETTING, None) or {}:
        if key not in known:
            candidate = closest_key(key, known)
            hint = E002_HINT.format(candidate=candidate) if candidate else E002_HINT_NONE
            errors.append(Error(E002.format(key=key), hint=hint, id="framework.E002"))
    return errors


@register(Tags.compatibility)
def check_moved_settings(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.W003: a setting of an earlier release, set flat, that the framework now reads from FRAMEWORK."""
    return [
        Warning(W003.format(name=name), hint=W003_HINT.format(key=key), id="framework.W003")
        for name, key in MOVED.items()
        if hasattr(settings, name)
    ]
