"""System checks on the services a project calls."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.core.checks import Error, Tags, Warning, register

from framework.conf.schemas.services import service_defaults

from .config import declared

E001 = "FRAMEWORK['SERVICES'][{name!r}] has no URL, so calls to {name!r} cannot be made."
E001_HINT = "Set SERVICE_{upper}_URL, e.g. https://{name}.internal/api/v1."
E002 = "FRAMEWORK['SERVICES'][{name!r}] sets {key!r}, which is not a setting of a service."
E002_HINT = "The settings of a service are: {keys}."
W001 = "The {name!r} service's credential is sent over plain http:// to {host}."
W001_HINT = "Use https:// in SERVICE_{upper}_URL, so that the token or key cannot be read on the way."


@register(Tags.compatibility)
def check_services(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.services.E001: a declared service without a URL; E002: an unknown setting of one."""
    known = service_defaults()
    errors = []
    for name, values in declared().items():
        if not values.get("URL"):
            errors.append(Error(E001.format(name=name), hint=E001_HINT.format(name=name, upper=name.upper()), id="framework.services.E001"))
        for key in values:
            if key not in known:
                errors.append(
                    Error(E002.format(name=name, key=key), hint=E002_HINT.format(keys=", ".join(known)), id="framework.services.E002")
                )
    return errors


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@register(Tags.security, deploy=True)
def check_plain_credentials(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """framework.services.W001: a token or API key sent over http:// to another machine."""
    warnings = []
    for name, values in declared().items():
        url = urlsplit(values.get("URL") or "")
        if url.scheme == "http" and (values.get("TOKEN") or values.get("API_KEY")) and not _loopback(url.hostname or ""):
            warnings.append(
                Warning(
                    W001.format(name=name, host=url.hostname),
                    hint=W001_HINT.format(upper=name.upper()),
                    id="framework.services.W001",
                )
            )
    return warnings
