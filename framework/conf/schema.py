"""Typed settings schemas: each setting declared once, with its type, default, description and secrecy."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .masking import MASK, mask_url


@dataclass(frozen=True)
class Deprecation:
    """A setting on its way out: the framework version that removes it, and what to use instead."""

    removed_in: str
    #: The variable that replaces it, or what to do instead, in a few words.
    instead: str = ""


def setting(
    default: Any = None,
    description: str = "",
    *,
    secret: bool = False,
    deprecated: Deprecation | None = None,
    renamed_from: Mapping[str, str] | None = None,
    default_from: tuple[str, ...] = (),
    effective_default: str | None = None,
) -> Any:
    """Declare one setting of a schema.

    `description` is what the settings reference and `manage.py settings`
    show; a `secret` setting is masked wherever it is displayed.
    `deprecated` marks a setting that is going away. `renamed_from` maps
    the variables this setting had before to the version that stops reading
    them (`{"OLD_NAME": "0.4.0"}`): until then they still set it. Using
    either gives the system check warning framework.W004, and the settings
    reference shows both.

    `default_from` names the variables whose value this setting takes when it
    is unset, first set first (CACHE_URL takes REDIS_URL's), and
    `effective_default` the value in effect when none is set ("locmem://"),
    where the declared default (None) would not say it: `manage.py settings`
    shows the value in effect and where it came from. The schema's own code
    does the deciding; these say what it decides.
    """
    extra = {
        "secret": secret,
        "deprecated": deprecated,
        "renamed_from": dict(renamed_from or {}),
        "default_from": list(default_from),
        "effective_default": effective_default,
    }
    return Field(default, description=description, json_schema_extra=extra)  # type: ignore[arg-type]


class Schema(BaseSettings):
    """The settings of one concern, read from the environment.

    Declare each setting as an upper-case field with `setting()`. A schema
    with an `env_prefix` reads `<prefix><FIELD>` and, unless it overrides
    `django_settings()`, becomes one dict setting named after the prefix:
    `PAYMENTS_TIMEOUT` is `settings.PAYMENTS["TIMEOUT"]`.
    """

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", frozen=True)

    #: The heading of this schema in the settings reference.
    title: ClassVar[str] = ""
    #: The fields `problems()` reads. When one of them is invalid, it is not
    #: called; when others are, it still is. None: every field.
    problems_rely_on: ClassVar[set[str] | None] = None
    #: The fields the framework's own code reads, through `framework.conf.framework_settings`:
    #: they go into the one FRAMEWORK setting, under their variable names, not into settings of their own.
    framework_fields: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        *args: PydanticBaseSettingsSource,
        **kwargs: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # A schema validates the values it is given: reading them, with the
        # source of each, is `framework.conf.load()`'s job.
        return (init_settings,)

    @classmethod
    def prefix(cls) -> str:
        return cls.model_config.get("env_prefix", "")

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Environment variable name -> field name, for every setting."""
        return {cls.prefix() + name: name for name in cls.model_fields}

    @classmethod
    def _extra(cls, field_name: str, key: str) -> Any:
        extra = cls.model_fields[field_name].json_schema_extra
        return extra.get(key) if isinstance(extra, dict) else None

    @classmethod
    def is_secret(cls, field_name: str) -> bool:
        return bool(cls._extra(field_name, "secret"))

    @classmethod
    def deprecation(cls, field_name: str) -> Deprecation | None:
        return cls._extra(field_name, "deprecated")

    @classmethod
    def former_variables(cls, field_name: str) -> dict[str, str]:
        """The variables a renamed setting is still read from: former name -> the version that removes it."""
        return dict(cls._extra(field_name, "renamed_from") or {})

    @classmethod
    def default_from(cls, field_name: str) -> list[str]:
        """The variables whose value the setting takes when it is unset, first set first."""
        return list(cls._extra(field_name, "default_from") or [])

    @classmethod
    def effective_default(cls, field_name: str) -> str | None:
        """The value in effect when neither the setting nor its `default_from` variables are set, if the default does not say it."""
        return cls._extra(field_name, "effective_default")

    @classmethod
    def deprecated_variables(cls) -> dict[str, Deprecation]:
        """Every variable whose use is deprecated: deprecated settings, and the former names of renamed ones."""
        found: dict[str, Deprecation] = {}
        for variable, field_name in cls.variables().items():
            if (deprecation := cls.deprecation(field_name)) is not None:
                found[variable] = deprecation
            for former, removed_in in cls.former_variables(field_name).items():
                found[former] = Deprecation(removed_in, instead=variable)
        return found

    def problems(self) -> Iterator[tuple[str, str]]:
        """Yield `(field name, message)` for values that are wrong together.

        Called once every field has been validated on its own; the loader
        reports these with the other problems.
        """
        return iter(())

    def django_settings(self, context: Context) -> dict[str, Any]:
        """The Django settings this schema produces, besides its entries in FRAMEWORK."""
        values = self.model_dump(exclude=set(self.framework_fields))
        if self.prefix():
            return {self.prefix().rstrip("_"): values}
        return values

    def framework_values(self) -> dict[str, Any]:
        """This schema's entries in the FRAMEWORK setting: its `framework_fields`, by variable name.

        Called on a schema made of its defaults too (`model_construct()`), for the
        defaults of `framework_settings`: it must not rely on other schemas.
        """
        return {self.prefix() + name: getattr(self, name) for name in self.framework_fields}

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name and self.is_secret(name) and value:
                value = MASK
            elif isinstance(value, str):
                value = mask_url(value)
            yield name, value


class Context:
    """What `Schema.django_settings()` may know about the project and the other schemas."""

    def __init__(self, *, base_dir: Any, loaded: dict[type[Schema], Schema]) -> None:
        self.base_dir = base_dir
        self._loaded = loaded

    def __getitem__(self, schema: type[Schema]) -> Any:
        return self._loaded[schema]


def describe_type(annotation: Any) -> str:
    """A short, human description of a setting's type, for the reference."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return describe_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return " or ".join(
            describe_type(arg) for arg in typing.get_args(annotation) if arg is not type(None)
        )
    if origin is Literal:
        return "one of: " + ", ".join(str(arg) for arg in typing.get_args(annotation))
    if origin is list:
        return "list (comma-separated)"
    return {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        timedelta: "duration (seconds)",
    }.get(annotation, getattr(annotation, "__name__", str(annotation)))
