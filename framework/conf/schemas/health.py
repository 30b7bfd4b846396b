"""Health settings: the service's name, version and build in health responses, and the checks' timeout."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ..schema import Schema, setting


class HealthSettings(Schema):
    title = "Health checks"
    framework_fields = (
        "SERVICE_NAME", "SERVICE_VERSION", "SERVICE_BUILD", "HEALTH_CHECK_TIMEOUT", "HEALTH_SHOW_VERSIONS"
    )

    SERVICE_NAME: str | None = setting(
        None, "Name of the service in health responses. Default: the project's package name."
    )
    SERVICE_VERSION: str | None = setting(
        None, "Version of the deployed code in health responses, e.g. 1.4.2; set by the deployment."
    )
    SERVICE_BUILD: str | None = setting(
        None, "Build of the deployed code in health responses, e.g. a commit hash or a CI build number."
    )
    HEALTH_CHECK_TIMEOUT: Annotated[float, Field(gt=0)] = setting(
        2.0, "Seconds each readiness check may take; a slower one counts as an error."
    )
    HEALTH_SHOW_VERSIONS: bool = setting(
        False,
        "Show the Python, Django and framework versions in the health endpoints' answers, to anyone who "
        "can call them. `manage.py health` always shows them.",
    )
