"""Logging settings: levels, the format and masking, as Django's LOGGING."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator

from ..schema import Context, Schema, setting
from ..types import CommaList
from .core import CoreSettings


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


LogLevel = Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(_upper)]


LOG_LEVEL_NAMES = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _logger_levels(value: list[str]) -> list[str]:
    for entry in value:
        name, equals, level = entry.partition("=")
        if not equals or not name.strip() or level.strip().upper() not in LOG_LEVEL_NAMES:
            raise ValueError(
                f"{entry!r} is not logger=LEVEL (e.g. django.db.backends=DEBUG; "
                f"levels: {', '.join(LOG_LEVEL_NAMES)})"
            )
    return value


LoggerLevels = Annotated[CommaList, AfterValidator(_logger_levels)]


class LoggingSettings(Schema):
    title = "Logging"
    framework_fields = ("LOG_ACCESS",)

    LOG_LEVEL: LogLevel = setting("INFO", "Least severe level that is logged.")
    LOG_FORMAT: Literal["json", "console"] | None = setting(
        None, "json: one JSON object per line; console: readable lines. Default: console with DEBUG on, json otherwise."
    )
    LOG_LEVELS: LoggerLevels = setting(
        [], "Levels of particular loggers, e.g. django.db.backends=DEBUG,celery=WARNING."
    )
    LOG_ACCESS: bool = setting(
        True, "Log one line per request: method, path, status, duration, size, user and request id."
    )
    LOG_MASK_KEYS: CommaList = setting(
        [],
        "More keys whose values are masked in logs, besides password, secret, token, authorization, "
        "api key, cookie, card and account numbers...; a key containing one (ignoring case, _ and -) is masked.",
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        log_format = self.LOG_FORMAT or ("console" if context[CoreSettings].DEBUG else "json")
        loggers: dict[str, Any] = {
            # Django's own console handler would print its lines a second time.
            "django": {"handlers": [], "propagate": True},
            # Its line per 401, 403, 404 and 429 would repeat the access line; 400s and 5xx stay.
            "django.request": {"handlers": [], "propagate": True, "filters": ["expected_client_errors"]},
            # runserver's line per request: the access log (framework.access) already has one.
            "django.server": {"handlers": [], "propagate": True, "level": "ERROR"},
            # Under `manage.py serve`, gunicorn's lines go to the same handler, in the same format.
            "gunicorn.error": {"handlers": [], "propagate": True, "level": "INFO"},
            # httpx's line per request: framework.services logs one per call, with its attempts.
            "httpx": {"level": "WARNING"},
        }
        for entry in self.LOG_LEVELS:
            name, _, level = entry.partition("=")
            loggers.setdefault(name.strip(), {})["level"] = level.strip().upper()
        return {
            "LOGGING": {
                "version": 1,
                "disable_existing_loggers": False,
                "filters": {
                    "request": {"()": "framework.logging.context.RequestContextFilter"},
                    "expected_client_errors": {"()": "framework.logging.filters.ExpectedClientErrorFilter"},
                },
                "formatters": {
                    "json": {"()": "framework.logging.formatters.JsonFormatter", "mask_keys": self.LOG_MASK_KEYS},
                    "console": {"()": "framework.logging.formatters.ConsoleFormatter", "mask_keys": self.LOG_MASK_KEYS},
                },
                "handlers": {
                    "default": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request"]},
                },
                "root": {"handlers": ["default"], "level": self.LOG_LEVEL},
                "loggers": loggers,
            },
        }
