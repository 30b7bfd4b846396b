"""Server settings: how `manage.py serve` runs gunicorn, and how static files are stored."""

from __future__ import annotations

from typing import Any

from ..schema import Context, Schema, setting
from ..types import Port, PositiveInt, Seconds
from .core import CoreSettings


class ServerSettings(Schema):
    title = "Server"
    # All of them, for `manage.py serve` (framework.server.gunicorn).
    framework_fields = (
        "HOST", "PORT", "WEB_CONCURRENCY", "WEB_THREADS", "WEB_TIMEOUT", "WEB_GRACEFUL_TIMEOUT",
        "WEB_KEEPALIVE", "WEB_KEEPALIVE_REQUESTS", "WEB_MAX_REQUESTS", "WEB_MAX_REQUESTS_JITTER", "WEB_READ_TIMEOUT",
    )

    HOST: str = setting("127.0.0.1", "Address `manage.py serve` listens on; 0.0.0.0 in a container.")
    PORT: Port = setting(8000, "Port `manage.py serve` listens on.")
    WEB_CONCURRENCY: PositiveInt | None = setting(
        None, "Worker processes of `manage.py serve`. Default: 2 per CPU core, plus 1."
    )
    WEB_THREADS: PositiveInt = setting(1, "Threads per worker process.")
    WEB_TIMEOUT: PositiveInt = setting(30, "Seconds a request may run before its worker is killed.")
    WEB_GRACEFUL_TIMEOUT: PositiveInt = setting(
        30, "Seconds in-flight requests get to finish on shutdown."
    )
    WEB_READ_TIMEOUT: PositiveInt = setting(
        10,
        "Seconds a request (its line, headers and body) may take to arrive; a slower one is answered 408. "
        "It is read before a worker thread takes it, so slow clients never hold one.",
    )
    WEB_KEEPALIVE: Seconds = setting(5, "Seconds an idle keep-alive connection is held open.")
    WEB_KEEPALIVE_REQUESTS: Seconds = setting(
        25,
        "Requests answered on one keep-alive connection before it is closed (the client then opens another, "
        "which any worker may take): so connections held by a proxy or a client pool do not all stay with one "
        "worker, as they do after a worker is replaced; 0: no limit.",
    )
    WEB_MAX_REQUESTS: Seconds = setting(
        1000, "Requests a worker process handles before it is replaced, which bounds slow leaks; 0: never."
    )
    WEB_MAX_REQUESTS_JITTER: Seconds = setting(
        100, "Up to this many more requests, at random, so that workers are not all replaced at once."
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        static = (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if context[CoreSettings].DEBUG
            # Hashed names cached for ever, gzip-compressed copies: served as they are by whitenoise.
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        return {
            "STORAGES": {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": static},
            },
        }
