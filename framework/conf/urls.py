"""Service URLs (`DATABASE_URL`, `CACHE_URL`, `EMAIL_URL`, broker URLs) turned into Django settings.

Each function raises ValueError with a message that names what is wrong and
what is accepted; the settings loader puts the variable name in front of it.
"""

from __future__ import annotations

from pathlib import Path
from collections.abc import Collection
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import dj_database_url

from .compat import HAS_MAILERS

DATABASE_SCHEMES = ("postgres", "postgresql", "sqlite", "mysql")
CACHE_SCHEMES = ("locmem", "redis", "rediss", "file", "dummy")
EMAIL_SCHEMES = ("console", "file", "locmem", "smtp", "smtp+tls", "smtp+ssl")
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps", "filesystem")

UNKNOWN_SCHEME = "unknown scheme {scheme!r} (expected one of: {expected})"
BAD_PORT = "the port is not a number (a password with / # ? @ must be percent-encoded)"
NO_HOST = "no host name (expected {scheme}://host[:port]/...)"
NO_PATH = "no path (expected {scheme}:///absolute/path)"

#: Seconds a Redis cache waits to connect and for an answer: an unreachable
#: cache must cost a request little, since its calls are then answered as misses.
REDIS_CACHE_SOCKET_TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def split(url: str, schemes: Collection[str], *, named: Collection[str] = ()) -> SplitResult:
    """Parse `url`, checking its scheme against `schemes` and that its port is a number.

    The error for an unknown scheme lists `named` (the common ones), or all of `schemes`.
    """
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        expected = ", ".join(named or schemes)
        raise ValueError(UNKNOWN_SCHEME.format(scheme=parts.scheme, expected=expected))
    try:
        parts.port  # noqa: B018 -- urllib checks the port only when asked for it
    except ValueError:
        # The message quotes nothing: what urllib took for a port may be part of a password.
        raise ValueError(BAD_PORT) from None
    return parts


def _require_host(parts: SplitResult) -> None:
    if not parts.hostname:
        raise ValueError(NO_HOST.format(scheme=parts.scheme))


def _path(parts: SplitResult) -> str:
    if not parts.path or parts.path == "/":
        raise ValueError(NO_PATH.format(scheme=parts.scheme))
    return unquote(parts.path)


def database_config(url: str, *, conn_max_age: int = 0, conn_health_checks: bool = False) -> dict[str, Any]:
    """One entry of Django's DATABASES from a database URL."""
    # dj-database-url knows more engines than the common ones the error names.
    # No host is fine: postgres:///name is a local server over its Unix socket.
    split(url, dj_database_url.ENGINE_SCHEMES, named=DATABASE_SCHEMES)
    return dj_database_url.parse(
        url, conn_max_age=conn_max_age, conn_health_checks=conn_health_checks
    )


def cache_config(url: str, *, key_prefix: str = "", timeout: int = 300) -> dict[str, Any]:
    """One entry of Django's CACHES from a cache URL."""
    parts = split(url, CACHE_SCHEMES)
    config: dict[str, Any] = {"KEY_PREFIX": key_prefix, "TIMEOUT": timeout}
    if parts.scheme in ("redis", "rediss"):
        _require_host(parts)
        # Django's Redis cache, turning an outage into misses (framework.cache.backends).
        config |= {
            "BACKEND": "framework.cache.backends.RedisCache",
            "LOCATION": url,
            "OPTIONS": dict(REDIS_CACHE_SOCKET_TIMEOUTS),
        }
    elif parts.scheme == "locmem":
        config |= {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "default",
        }
    elif parts.scheme == "file":
        config |= {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": _path(parts),
        }
    else:
        config |= {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return config


_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
_SMTP_DEFAULT_PORTS = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}


def email_config(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings from an email URL."""
    parts = split(url, EMAIL_SCHEMES)
    if parts.scheme == "file":
        return {"EMAIL_BACKEND": _EMAIL_BACKENDS["file"], "EMAIL_FILE_PATH": _path(parts)}
    if parts.scheme in _SMTP_DEFAULT_PORTS:
        _require_host(parts)
        return {
            "EMAIL_BACKEND": _EMAIL_BACKENDS["smtp"],
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or _SMTP_DEFAULT_PORTS[parts.scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtp+ssl",
        }
    return {"EMAIL_BACKEND": _EMAIL_BACKENDS[parts.scheme]}


#: Django's EMAIL_* settings (5.2) and the OPTIONS of a MAILERS entry (6.1) they became.
_MAILER_OPTIONS = {
    "EMAIL_HOST": "host",
    "EMAIL_PORT": "port",
    "EMAIL_HOST_USER": "username",
    "EMAIL_HOST_PASSWORD": "password",
    "EMAIL_USE_TLS": "use_tls",
    "EMAIL_USE_SSL": "use_ssl",
    "EMAIL_FILE_PATH": "file_path",
}


def mailer_config(url: str, *, timeout: int | None = None) -> dict[str, Any]:
    """One entry of Django 6.1's MAILERS from an email URL; `timeout` is the SMTP backend's."""
    config = email_config(url)
    options = {_MAILER_OPTIONS[name]: value for name, value in config.items() if name in _MAILER_OPTIONS}
    # Each backend takes only its own options: the SMTP one alone has a timeout.
    if config["EMAIL_BACKEND"] == _EMAIL_BACKENDS["smtp"] and timeout is not None:
        options["timeout"] = timeout
    return {"BACKEND": config["EMAIL_BACKEND"], "OPTIONS": options}


def email_settings(url: str, *, timeout: int | None = None) -> dict[str, Any]:
    """The Django settings that send email as `url` says: MAILERS on Django 6.1, the EMAIL_* settings on 5.2."""
    if HAS_MAILERS:
        return {"MAILERS": {"default": mailer_config(url, timeout=timeout)}}
    return {**email_config(url), "EMAIL_TIMEOUT": timeout}


def broker_url(url: str) -> str:
    """A checked Celery broker URL (Redis, RabbitMQ, or the on-disk transport)."""
    parts = split(url, BROKER_SCHEMES)
    if parts.scheme != "filesystem":
        _require_host(parts)
    return url


def embedded_broker_folder(base_dir: Path) -> Path:
    """Where the on-disk broker keeps its messages, shared by every process of a project."""
    return Path(base_dir) / ".tasks"
