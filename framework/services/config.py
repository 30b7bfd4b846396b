"""The settings of each declared service, as the client uses them (FRAMEWORK["SERVICES"])."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from framework.conf import framework_settings
from framework.conf.schemas.services import service_defaults

from .exceptions import NOT_DECLARED, ServiceNotDeclared

NO_URL = "FRAMEWORK['SERVICES'][{name!r}] has no URL; set SERVICE_{upper}_URL"


@dataclass(frozen=True)
class ServiceConfig:
    """One service's settings (see ServiceSettings for what each means)."""

    name: str
    url: str
    # Secrets: never in a repr, a log line or an error message.
    token: str = field(default="", repr=False)
    api_key: str = field(default="", repr=False)
    connect_timeout: float = 2.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0
    retries: int = 2
    retry_backoff: float = 0.2
    breaker_failures: int = 5
    breaker_cooldown: float = 30.0
    critical: bool = False

    @classmethod
    def from_settings(cls, name: str, values: Mapping[str, Any]) -> ServiceConfig:
        """From one entry of FRAMEWORK["SERVICES"]; a setting it leaves out has its default."""
        merged = {**service_defaults(), **values}
        if not merged.get("URL"):
            raise ServiceNotDeclared(NO_URL.format(name=name, upper=name.upper()))
        return cls(name=name, **{key.lower(): value for key, value in merged.items() if key.lower() in _FIELDS})



_FIELDS = set(ServiceConfig.__dataclass_fields__) - {"name"}


def declared() -> dict[str, Mapping[str, Any]]:
    """Each declared service's settings, by name."""
    return dict(framework_settings.SERVICES)


def get_config(name: str) -> ServiceConfig:
    """The settings of the service `name`; ServiceNotDeclared, naming the declared ones, if it is not."""
    services = framework_settings.SERVICES
    if name not in services:
        raise ServiceNotDeclared(
            NOT_DECLARED.format(name=name, names=", ".join(sorted(services)) or "none", upper=str(name).upper())
        )
    return ServiceConfig.from_settings(name, services[name])
