"""System checks on the configuration: what the schemas cannot see one setting at a time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from .environment import Environment, UnreadableFile
from .loader import (
    configured_schemas,
    cut_value_message,
    known_variables,
    misspellings,
    secret_variables,
    unparsed_line_message,
)
from .schemas.database import missing_sqlite_folder
from .settings import SETTING, closest_key, framework_settings

W001 = "{name} is set but is not a setting; did you mean {candidate}?"
W001_HINT = "Rename it to {candidate}; as it is, it has no effect."
E004 = W001 + " With DEBUG off this is an error: the setting meant would silently keep its default."
E005 = "DATABASE_URL names the SQLite file {path}, but its folder {folder} does not exist."
E005_HINT = "Create the folder, or point DATABASE_URL at a file in a folder that exists (sqlite:////abs/path/db.sqlite3)."
W005_HINT = "Fix the line (NAME=value), or remove it."
W006_HINT = "Quote the value ({variable}='...') if the # is part of it; put a comment on a line of its own otherwise."
# framework.E001 (a database driver not installed) is now found when the settings load:
# see framework.conf.schemas.database.DRIVER_MISSING.
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


@register(Tags.compatibility)
def check_misspelled_variables(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """framework.W001 (framework.E004 with DEBUG off): a set variable that looks like a misspelled setting."""
    found = misspellings(Environment(settings.BASE_DIR).names(), known_variables(configured_schemas()))
    level, template, check_id = (Warning, W001, "framework.W001") if settings.DEBUG else (Error, E004, "framework.E004")
    return [
        level(template.format(name=name, candidate=candidate), hint=W001_HINT.format(candidate=candidate), id=check_id)
        for name, candidate in found
    ]


@register(Tags.compatibility)
def check_env_files(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.W005: an env file's line that cannot be parsed (with DEBUG off, the loader refuses it);
    framework.W006: an unquoted value cut short at ` #` (a secret's, with DEBUG off, the loader refuses)."""
    environment = Environment(settings.BASE_DIR)
    secrets = secret_variables(configured_schemas())
    warnings = [
        Warning(f"{line.variable or line.filename}: {unparsed_line_message(line)}.", hint=W005_HINT, id="framework.W005")
        for line in environment.unparsed
    ]
    warnings += [
        Warning(f"{line.variable}: {cut_value_message(line)}.", hint=W006_HINT.format(variable=line.variable), id="framework.W006")
        for line in environment.cut
        if settings.DEBUG or line.variable not in secrets
    ]
    return warnings


@register(Tags.compatibility)
def check_sqlite_folder(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.E005: the SQLite file of a database is in a folder that does not exist."""
    errors = []
    for database in settings.DATABASES.values():
        if (folder := missing_sqlite_folder(database)) is not None:
            errors.append(Error(E005.format(path=database["NAME"], folder=folder), hint=E005_HINT, id="framework.E005"))
    return errors


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
