"""Tracing settings: OpenTelemetry's standard `OTEL_*` variables, read here and handed to its SDK.

Tracing is off until an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), or OTEL_TRACES_EXPORTER names an exporter;
framework.observability.tracing does the rest. The SDK would read most of these
variables itself; the framework reads them here, with the other settings, so that
a wrong one is reported at start-up, and passes the values to the SDK explicitly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field

from ..schema import Schema, setting
from ..types import CommaList

INSTALL = "pip install 'framework[tracing]'"
EXTRA_MISSING = (
    "turns tracing on, but OpenTelemetry's packages are not installed: {install} "
    "(or unset it to run without traces)"
)
#: What the SDK adds to OTEL_EXPORTER_OTLP_ENDPOINT, the base URL of a collector.
TRACES_PATH = "v1/traces"
DEFAULT_ENDPOINT = "http://localhost:4318/"
SAMPLERS = (
    "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio",
)


def _otlp_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if any(character.isspace() for character in value):
        raise ValueError("contains spaces (expected a URL such as http://otel-collector:4318)")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or "://" not in value:
        raise ValueError(
            "is not an http(s) URL (expected the OTLP/HTTP endpoint of a collector, e.g. http://otel-collector:4318)"
        )
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError:
        raise ValueError("has a port that is not a number between 0 and 65535") from None
    if not parts.hostname:
        raise ValueError("has no host (expected a URL such as http://otel-collector:4318)")
    return value


def _key_values(value: list[str]) -> list[str]:
    for number, entry in enumerate(value, start=1):
        key, equals, _ = entry.partition("=")
        if not equals or not key.strip():
            # Not shown: a header's entry may be a token with its key forgotten.
            raise ValueError(f"entry {number} is not key=value (expected e.g. api-key=abc123,team=core)")
    return value


def _protocol(value: str | None) -> str | None:
    if value not in (None, "", "http/protobuf"):
        raise ValueError("is not supported: the framework exports over OTLP/HTTP; set http/protobuf, or unset it")
    return value


OtlpURL = Annotated[str | None, AfterValidator(_otlp_url)]
Protocol = Annotated[str | None, AfterValidator(_protocol)]
KeyValues = Annotated[CommaList, AfterValidator(_key_values)]
Ratio = Annotated[float, Field(ge=0, le=1)]


def parse_key_values(entries: list[str]) -> dict[str, str]:
    """`key=value` entries as a dict (values may hold `=`)."""
    pairs = (entry.partition("=") for entry in entries)
    return {key.strip(): value.strip() for key, _, value in pairs}


def sdk_installed() -> bool:
    """Whether OpenTelemetry's SDK and OTLP/HTTP exporter (the tracing extra) can be imported."""
    try:
        import opentelemetry.exporter.otlp.proto.http.trace_exporter  # noqa: F401
        import opentelemetry.sdk.trace  # noqa: F401
    except ImportError:
        return False
    return True


class TracingSettings(Schema):
    title = "Tracing"
    # All of them, for framework.observability.tracing.
    framework_fields = (
        "OTEL_SDK_DISABLED", "OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TIMEOUT",
        "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_BSP_SCHEDULE_DELAY",
    )

    OTEL_EXPORTER_OTLP_ENDPOINT: OtlpURL = setting(
        None,
        "Base URL of the OpenTelemetry collector that receives the traces over OTLP/HTTP, e.g. "
        f"http://otel-collector:4318 ({TRACES_PATH} is added). Setting it turns tracing on "
        f"(it needs {INSTALL}).",
    )
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: OtlpURL = setting(
        None,
        "Full URL traces are sent to, used as it is, e.g. http://otel-collector:4318/v1/traces; "
        "instead of OTEL_EXPORTER_OTLP_ENDPOINT. Setting it turns tracing on.",
    )
    OTEL_TRACES_EXPORTER: Literal["otlp", "console", "none"] | None = setting(
        None,
        "Where spans go: otlp (to the endpoint above; the default once one is set), console (printed, "
        f"for development) or none (tracing off). otlp or console turn tracing on, to {DEFAULT_ENDPOINT} "
        "when no endpoint is set.",
    )
    OTEL_SDK_DISABLED: bool = setting(False, "Turn tracing off, whatever else is set.")
    OTEL_EXPORTER_OTLP_PROTOCOL: Protocol = setting(
        None, "The OTLP transport; only http/protobuf (the default) is supported."
    )
    OTEL_EXPORTER_OTLP_HEADERS: KeyValues = setting(
        [], "Headers sent with each export, e.g. api-key=abc123 for a hosted collector.", secret=True
    )
    OTEL_EXPORTER_OTLP_TIMEOUT: Annotated[float, Field(gt=0)] = setting(
        10.0,
        "Seconds one export (a batch of spans) may take, retries included, before it is dropped: seconds, "
        "as OpenTelemetry's Python SDK reads it, not the specification's milliseconds.",
    )
    OTEL_SERVICE_NAME: str | None = setting(
        None, "The service's name in traces (service.name). Default: SERVICE_NAME, else the project's package name."
    )
    OTEL_RESOURCE_ATTRIBUTES: KeyValues = setting(
        [], "More attributes of every span's resource, e.g. deployment.environment=production,team=core."
    )
    OTEL_TRACES_SAMPLER: Literal[SAMPLERS] = setting(  # type: ignore[valid-type]
        "parentbased_always_on",
        "Which traces are recorded: parentbased_* follow the incoming traceparent's decision; "
        "traceidratio keeps OTEL_TRACES_SAMPLER_ARG of them.",
    )
    OTEL_TRACES_SAMPLER_ARG: Ratio = setting(1.0, "The share of traces the traceidratio samplers keep, 0 to 1.")

    OTEL_BSP_SCHEDULE_DELAY: Annotated[int, Field(ge=1)] = setting(
        5000, "Milliseconds between two exports of the spans ended meanwhile (each process exports its own)."
    )

    def enabled(self) -> bool:
        return tracing_enabled(self.model_dump())

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.enabled() and not sdk_installed():
            field = next(
                name for name in ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_TRACES_EXPORTER")
                if getattr(self, name)
            )
            yield field, EXTRA_MISSING.format(install=INSTALL)


def tracing_enabled(values: dict[str, Any]) -> bool:
    """Whether these settings (FRAMEWORK's keys or the schema's fields) turn tracing on."""
    if values.get("OTEL_SDK_DISABLED") or values.get("OTEL_TRACES_EXPORTER") == "none":
        return False
    return bool(
        values.get("OTEL_TRACES_EXPORTER")
        or values.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or values.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
    )


def traces_endpoint(values: dict[str, Any]) -> str:
    """The URL spans are posted to: the traces endpoint as it is, or the base endpoint with /v1/traces."""
    if values.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"):
        return values["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
    base = values.get("OTEL_EXPORTER_OTLP_ENDPOINT") or DEFAULT_ENDPOINT
    return base.rstrip("/") + "/" + TRACES_PATH
