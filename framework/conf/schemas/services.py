"""Settings of the services a project calls: one set per service, `SERVICE_<NAME>_URL` and the rest.

A project lists the services it calls in its settings module,
`configure(globals(), services=["billing"])`, and each gets the variables of
`ServiceSettings` under its own prefix: `SERVICE_BILLING_URL`, `SERVICE_BILLING_TOKEN`...
They go into `FRAMEWORK["SERVICES"]["billing"]`, read by `framework.services`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from ..schema import Context, Schema, setting

SCHEMES = ("http", "https")
#: Past this, retries hide an outage instead of riding out a blip.
MAX_RETRIES = 10
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")

BAD_NAME = (
    "{name!r} cannot name a service: use 1 to 40 lower-case letters, digits and _, "
    "starting with a letter (it becomes SERVICE_<NAME>_URL and the like)"
)
DUPLICATE_NAME = "the service {name!r} is listed twice in configure(services=...)"
URL_MISSING = "is required: the base URL of the {name!r} service, e.g. https://{name}.internal/api/v1"
BOTH_CREDENTIALS = "and {other} are both set; a service takes one credential: keep one of them"


def _service_url(value: str | None) -> str | None:
    if value is None:
        return None
    if any(character.isspace() for character in value):
        raise ValueError("contains spaces (expected a URL such as https://billing.internal/api/v1)")
    if "://" not in value:
        raise ValueError("has no scheme (expected http:// or https://, e.g. https://billing.internal/api/v1)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in SCHEMES:
        raise ValueError(f"has an unknown scheme {parts.scheme!r} (expected one of: {', '.join(SCHEMES)})")
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError:
        raise ValueError("has a port that is not a number between 0 and 65535") from None
    if not parts.hostname:
        raise ValueError("has no host (expected a URL such as https://billing.internal/api/v1)")
    if parts.query or parts.fragment:
        raise ValueError("has a query or a fragment; give the base URL only, e.g. https://billing.internal/api/v1")
    return value


ServiceURL = Annotated[str | None, AfterValidator(_service_url)]
PositiveSeconds = Annotated[float, Field(gt=0)]


class ServiceSettings(Schema):
    """One set of these for each service the project calls, `<NAME>` being its name in upper case:
    list them in the settings module, `configure(globals(), services=["billing"])`, and set
    `SERVICE_BILLING_URL`. See [Calling other services](services.md)."""

    title = "Services called"
    model_config = {**Schema.model_config, "env_prefix": "SERVICE_<NAME>_"}
    problems_rely_on = {"URL", "TOKEN", "API_KEY"}
    #: The service's name, as the code calls it: `service("billing")`.
    service: ClassVar[str] = "<name>"

    URL: ServiceURL = setting(
        None,
        "Base URL of the service, e.g. https://billing.internal/api/v1: paths given to the client "
        "are relative to it. Required.",
    )
    TOKEN: str = setting("", "A token sent on every call as Authorization: Bearer <token>.", secret=True)
    API_KEY: str = setting(
        "", "An API key sent on every call as X-API-Key (what a framework service accepts).", secret=True
    )
    CONNECT_TIMEOUT: PositiveSeconds = setting(2.0, "Seconds to wait for a connection, for each attempt.")
    READ_TIMEOUT: PositiveSeconds = setting(10.0, "Seconds to wait for the answer's next bytes, for each attempt.")
    TOTAL_TIMEOUT: PositiveSeconds = setting(
        15.0, "Seconds all attempts of one call may take together, waits between them included."
    )
    RETRIES: Annotated[int, Field(ge=0, le=MAX_RETRIES)] = setting(
        2,
        "Attempts after the first, for calls that are safe to repeat (GET, HEAD, PUT, DELETE, OPTIONS, "
        "or one with an idempotency key) when the service is unreachable, slow, or answers 429, 502, "
        f"503 or 504. At most {MAX_RETRIES}.",
    )
    RETRY_BACKOFF: Annotated[float, Field(ge=0)] = setting(
        0.2, "Seconds before the first retry; doubled for each next one, with random jitter."
    )
    BREAKER_FAILURES: Annotated[int, Field(ge=0)] = setting(
        5,
        "Failed attempts in a row (unreachable, timed out, 5xx) after which calls fail at once "
        "for BREAKER_COOLDOWN; 0: no circuit breaker.",
    )
    BREAKER_COOLDOWN: PositiveSeconds = setting(
        30.0, "Seconds calls fail at once once the breaker opened; then one trial call decides."
    )
    CRITICAL: bool = setting(
        False, "The service is needed to serve requests: /health/ready/ fails while its breaker is open."
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.URL:
            yield "URL", URL_MISSING.format(name=self.service)
        if self.TOKEN and self.API_KEY:
            yield "TOKEN", BOTH_CREDENTIALS.format(other=self.prefix() + "API_KEY")

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {}  # FRAMEWORK["SERVICES"][name], from client_settings()

    def client_settings(self) -> dict[str, Any]:
        """This service's entry of FRAMEWORK["SERVICES"]: each setting, by field name."""
        return self.model_dump()


def service_defaults() -> dict[str, Any]:
    """The default of each setting of a service, by field name (URL: None)."""
    return ServiceSettings.model_construct().model_dump()


@functools.cache
def service_schema(name: str) -> type[ServiceSettings]:
    """The schema of the service `name`: ServiceSettings under the prefix `SERVICE_<NAME>_`."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(BAD_NAME.format(name=name))
    return type(
        f"ServiceSettings_{name}",
        (ServiceSettings,),
        {
            "__module__": __name__,
            "__doc__": None,
            "title": f"Service {name}",
            "service": name,
            "model_config": {**ServiceSettings.model_config, "env_prefix": f"SERVICE_{name.upper()}_"},
        },
    )
