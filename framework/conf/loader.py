"""Loading schemas from the environment, and turning them into a settings module."""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.module_loading import import_string
from pydantic import ValidationError

from . import defaults
from .environment import FILE_SUFFIX, Environment, FileLine, UnreadableFile
from .errors import Problem, SettingsError
from .masking import MASK, mask_url
from .schema import Context, Schema
from .schemas import BUILTIN_SCHEMAS, CoreSettings, DatabaseSettings
from .schemas.database import SQLITE_FOLDER_MISSING, missing_sqlite_folder
from .schemas.services import DUPLICATE_NAME, ServiceSettings, service_schema
from .settings import SETTING
from .urls import database_config


def display(schema: type[Schema], field_name: str, raw: Any) -> str:
    """A value as it may be shown to a person: secrets masked, URL passwords hidden."""
    if schema.is_secret(field_name):
        return MASK if raw not in (None, "") else ""
    return mask_url(raw) if isinstance(raw, str) else repr(raw)


@dataclass
class Reading:
    """What the environment sets for a schema, by field: raw values, their sources, the variable each
    was read from (a renamed setting's former name, maybe), and the `_FILE`s that could not be read."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read(schema: type[Schema], environment: Environment) -> Reading:
    """The raw values of `schema`'s variables, where each came from, and any unreadable `_FILE`s.

    A renamed setting is read from its former names too, until they are
    removed; its current name wins when both are set.
    """
    reading = Reading()
    for variable, field_name in schema.variables().items():
        for name in (variable, *schema.former_variables(field_name)):
            try:
                value = environment.get(name)
            except UnreadableFile as error:
                message = f"cannot read the file: {error.reason}"
                reading.problems.append(Problem(error.variable, message, value=error.path, source=error.source))
                break
            if value is not None:
                reading.values[field_name] = value.raw
                reading.sources[field_name] = value.source
                reading.variables[field_name] = name
                break
    return reading


# Clearer words than pydantic's for the commonest mistakes in environment values.
EXPECTED = {
    "bool_parsing": "expected a boolean: true or false (also 1/0, yes/no, on/off)",
    "int_parsing": "expected a whole number",
    "float_parsing": "expected a number",
}


def _from_validation_error(schema: type[Schema], error: ValidationError, reading: Reading) -> Iterable[Problem]:
    variables = {field: variable for variable, field in schema.variables().items()} | reading.variables
    for detail in error.errors():
        field_name = str(detail["loc"][0]) if detail["loc"] else ""
        # "Value error, ..." is pydantic's wording for our own validators' messages.
        message = EXPECTED.get(detail["type"]) or detail["msg"].removeprefix("Value error, ")
        if field_name in reading.values:
            yield Problem(
                variables[field_name],
                message,
                value=display(schema, field_name, reading.values[field_name]),
                source=reading.sources[field_name],
            )
        else:
            yield Problem(variables.get(field_name, schema.__name__), message)


def _validate_without(schema: type[Schema], values: dict[str, str], failed: set[str]) -> Schema | None:
    try:
        return schema.model_validate({name: value for name, value in values.items() if name not in failed})
    except ValidationError:
        return None


def _combination_problems(instance: Schema, reading: Reading, *, skip: set[str]) -> list[Problem]:
    schema = type(instance)
    variables = {field: variable for variable, field in schema.variables().items()}
    problems = []
    for field_name, message in instance.problems():
        if variables[field_name] in skip:
            continue
        raw = reading.values.get(field_name)
        value = None if raw is None else display(schema, field_name, raw)
        variable = reading.variables.get(field_name, variables[field_name])
        problems.append(Problem(variable, message, value=value, source=reading.sources.get(field_name)))
    return problems


def load(schemas: Iterable[type[Schema]], environment: Environment) -> dict[type[Schema], Schema]:
    """Validate every schema against `environment`.

    Raises SettingsError listing every problem in every schema.
    """
    schemas = list(schemas)
    loaded: dict[type[Schema], Schema] = {}
    problems: list[Problem] = []
    readings: dict[type[Schema], Reading] = {}
    for schema in schemas:
        reading = readings[schema] = read(schema, environment)
        problems += reading.problems
        try:
            instance = schema.model_validate(reading.values)
        except ValidationError as error:
            problems += _from_validation_error(schema, error, reading)
            # The checks across fields still run on the valid values, unless they rely on a failed one.
            failed = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
            relied_on = schema.problems_rely_on if schema.problems_rely_on is not None else set(schema.model_fields)
            instance = None if failed & relied_on else _validate_without(schema, reading.values, failed)
            if instance is None:
                continue
        else:
            loaded[schema] = instance
        # A value that could not be read was reported already; its default would mislead here.
        unread = {problem.variable.removesuffix(FILE_SUFFIX) for problem in reading.problems}
        problems += _combination_problems(instance, reading, skip=unread)
    problems += env_file_problems(environment, schemas, loaded)
    problems += production_problems(environment, schemas, loaded, readings)
    if problems:
        raise SettingsError(problems)
    return loaded


UNPARSED_LINE = (
    "line {line} of {filename} cannot be parsed, so it is ignored (expected NAME=value; "
    "quote a value holding spaces, and close every quote)"
)
CUT_VALUE = (
    "line {line} of {filename}: the unquoted value ends at ' #', the rest of the line is read as a comment; "
    "quote the value if the # is part of it ({variable}='...')"
)


def unparsed_line_message(line: FileLine) -> str:
    return UNPARSED_LINE.format(line=line.line, filename=line.filename)


def cut_value_message(line: FileLine) -> str:
    return CUT_VALUE.format(line=line.line, filename=line.filename, variable=line.variable)


def secret_variables(schemas: Iterable[type[Schema]]) -> set[str]:
    return {variable for schema in schemas for variable, name in schema.variables().items() if schema.is_secret(name)}


def env_file_problems(
    environment: Environment, schemas: Iterable[type[Schema]], loaded: dict[type[Schema], Schema]
) -> list[Problem]:
    """With DEBUG off: the env files' lines that could not be parsed, and the secrets a ` #` cut short.

    With DEBUG on they are the system check warnings framework.W005 and W006 instead; so is,
    with DEBUG off, a value that is not a secret cut at ` #` (often a comment meant as one).
    """
    core = loaded.get(CoreSettings)
    if core is not None and core.DEBUG:  # type: ignore[attr-defined]
        return []
    problems = [Problem(line.variable or line.filename, unparsed_line_message(line)) for line in environment.unparsed]
    secrets = secret_variables(schemas)
    problems += [
        Problem(line.variable or line.filename, cut_value_message(line))
        for line in environment.cut
        if line.variable in secrets
    ]
    return problems


# Names this short match too much of an ordinary environment to guess at.
MISSPELLING_MIN_LENGTH = 6
# High enough that DATABASE_USER is not taken for DATABASE_URL.
MISSPELLING_CUTOFF = 0.9
MISSPELLED = (
    "is set but is not a setting; did you mean {candidate}? With DEBUG off this stops the start: "
    "the setting meant would silently keep its default; rename it to {candidate}"
)


def known_variables(schemas: Iterable[type[Schema]]) -> set[str]:
    """Every variable `schemas` read, their deprecated and former names included."""
    names: set[str] = set()
    for schema in schemas:
        names.update(schema.variables(), schema.deprecated_variables())
    return names


def misspellings(names: Iterable[str], known: set[str]) -> list[tuple[str, str]]:
    """(name, the setting it likely misspells) for each of `names` that is no setting but close to one.

    A name is known as it is (CELERY_WORKER_HEARTBEAT_FILE is a setting of its own), or
    as `<setting>_FILE`, the file holding a setting's value; only then is `_FILE` set aside.
    """
    found = []
    for name in sorted(names):
        base = name.removesuffix(FILE_SUFFIX)
        if name in known or base in known or len(base) < MISSPELLING_MIN_LENGTH:
            continue
        candidates = difflib.get_close_matches(name, known, n=1, cutoff=MISSPELLING_CUTOFF)
        if not candidates and base != name:
            candidates = [match + FILE_SUFFIX for match in difflib.get_close_matches(base, known, n=1, cutoff=MISSPELLING_CUTOFF)]
        if candidates:
            found.append((name, candidates[0]))
    return found


def production_problems(
    environment: Environment,
    schemas: Iterable[type[Schema]],
    loaded: dict[type[Schema], Schema],
    readings: dict[type[Schema], Reading],
) -> list[Problem]:
    """With DEBUG off: a variable that looks like a misspelled setting, and an SQLite file in a folder
    that does not exist, reported with the other settings problems.

    With DEBUG on they are the system checks framework.W001 and framework.E005 instead (E004
    and E005 with DEBUG off, for settings that were not loaded from the environment).
    """
    core = loaded.get(CoreSettings)
    if core is not None and core.DEBUG:  # type: ignore[attr-defined]
        return []
    problems = [
        Problem(name, MISSPELLED.format(candidate=candidate))
        for name, candidate in misspellings(environment.names(), known_variables(schemas))
    ]
    database, reading = loaded.get(DatabaseSettings), readings.get(DatabaseSettings)
    if database is not None and reading is not None and database.URL:  # type: ignore[attr-defined]
        config = database_config(database.URL)  # type: ignore[attr-defined]
        if (folder := missing_sqlite_folder(config)) is not None:
            problems.append(
                Problem(
                    reading.variables.get("URL", "DATABASE_URL"),
                    SQLITE_FOLDER_MISSING.format(path=config["NAME"], folder=folder),
                    value=display(DatabaseSettings, "URL", reading.values["URL"]),
                    source=reading.sources["URL"],
                )
            )
    return problems


def schema_path(schema: type[Schema]) -> str:
    return f"{schema.__module__}.{schema.__qualname__}"


def configured_schemas() -> list[type[Schema]]:
    """The schemas the settings were configured with, in order (FRAMEWORK["SCHEMAS"]), then
    those of the services called (FRAMEWORK["SERVICES"])."""
    from .settings import framework_settings

    schemas: list[type[Schema]] = [import_string(path) for path in framework_settings.SCHEMAS]
    return schemas + [service_schema(name) for name in framework_settings.SERVICES]


def service_schemas(services: Iterable[str]) -> list[type[ServiceSettings]]:
    """The schemas of the services a project calls, in the order listed; SettingsError for a bad or repeated name."""
    names = list(services)
    problems = [Problem("services", DUPLICATE_NAME.format(name=name)) for name in dict.fromkeys(names) if names.count(name) > 1]
    schemas = []
    for name in dict.fromkeys(names):
        try:
            schemas.append(service_schema(name))
        except ValueError as error:
            problems.append(Problem("services", str(error)))
    if problems:
        raise SettingsError(problems)
    return schemas


def configure(
    namespace: MutableMapping[str, Any],
    *,
    schemas: Iterable[type[Schema]] = (),
    services: Iterable[str] = (),
    base_dir: Path | str | None = None,
) -> None:
    """Fill a settings module's namespace from the framework's defaults and the environment.

    Call it at the top of `settings.py` as `configure(globals())`. The
    project directory defaults to the parent of the settings package, the
    project package to the settings module's own package. `schemas` are the
    project's own, loaded after the built-in ones. `services` names the
    services the project calls: each reads `SERVICE_<NAME>_URL` and the other
    settings of ServiceSettings (see framework.services).

    Raises SettingsError listing every problem found.
    """
    base_dir = Path(base_dir or Path(namespace["__file__"]).resolve().parent.parent)
    package = namespace["__name__"].rpartition(".")[0]
    all_schemas = [*BUILTIN_SCHEMAS, *schemas]
    loaded = load([*all_schemas, *service_schemas(services)], Environment(base_dir))

    # Copies, so that a project extending a list never changes the defaults.
    namespace.update(copy.deepcopy(defaults.settings()))
    namespace.update(
        BASE_DIR=base_dir,
        ROOT_URLCONF=f"{package}.urls",
        WSGI_APPLICATION=f"{package}.wsgi.application",
        STATIC_ROOT=base_dir / "staticfiles",
    )
    # The framework's own settings, in one dict: see framework.conf.settings.
    framework: dict[str, Any] = {"SCHEMAS": [schema_path(schema) for schema in all_schemas], "SERVICES": {}}
    context = Context(base_dir=base_dir, loaded=loaded)
    for instance in loaded.values():
        namespace.update(instance.django_settings(context))
        framework.update(instance.framework_values())
        if isinstance(instance, ServiceSettings):
            framework["SERVICES"][instance.service] = instance.client_settings()
    namespace[SETTING] = framework
