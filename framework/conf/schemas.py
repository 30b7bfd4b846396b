"""The built-in schemas: the settings every project has, one class per concern."""

from __future__ import annotations

import os
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any, Literal

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from pydantic import AfterValidator, BeforeValidator, Field

from .schema import CommaList, Context, Duration, Schema, setting
from .urls import broker_url, cache_config, database_config, email_config, embedded_broker_folder, split


def _checked_by(parse: Callable[[str], Any]) -> AfterValidator:
    def validate(value: str | None) -> str | None:
        if value is not None:
            parse(value)
        return value

    return AfterValidator(validate)


def _redis_url(url: str) -> str:
    return broker_url(split(url, ("redis", "rediss")).geturl())


def _time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone (expected a name such as UTC or Europe/Paris)") from None
    return name


DatabaseURL = Annotated[str | None, _checked_by(database_config)]
CacheURL = Annotated[str | None, _checked_by(cache_config)]
RedisURL = Annotated[str | None, _checked_by(_redis_url)]
BrokerURL = Annotated[str | None, _checked_by(broker_url)]
EmailURL = Annotated[str | None, _checked_by(email_config)]
Port = Annotated[int, Field(ge=1, le=65535)]
Seconds = Annotated[int, Field(ge=0)]
PositiveInt = Annotated[int, Field(ge=1)]

GENERATE_KEY = (
    "generate one with: python -c \"from django.core.management.utils import "
    'get_random_secret_key; print(get_random_secret_key())"'
)
SECRET_KEY_MISSING = "is required; set it, or SECRET_KEY_FILE to a file holding it; " + GENERATE_KEY
SECRET_KEY_INSECURE = (
    f"is a development key ({SECRET_KEY_INSECURE_PREFIX}...), not allowed with DEBUG off; "
    + GENERATE_KEY
)
ALLOWED_HOSTS_EMPTY = (
    "is empty, so with DEBUG off no request would be answered; "
    "list this service's host names, e.g. ALLOWED_HOSTS=api.example.com"
)


class CoreSettings(Schema):
    title = "Core"
    problems_rely_on = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}

    DEBUG: bool = setting(
        False,
        "Django's debug mode: detailed error pages and development conveniences. "
        "Never on in production.",
    )
    SECRET_KEY: str = setting(
        "",
        "Signs sessions, tokens and other values. Required; with DEBUG off it must "
        "not be a development key.",
        secret=True,
    )
    ALLOWED_HOSTS: CommaList = setting(
        [], "Host names this service answers to. Required with DEBUG off."
    )
    CSRF_TRUSTED_ORIGINS: CommaList = setting(
        [], "Origins trusted for unsafe requests under session authentication, e.g. https://app.example.com."
    )
    TIME_ZONE: Annotated[str, AfterValidator(_time_zone)] = setting(
        "UTC", "Time zone for displaying dates; they are stored in UTC."
    )
    LANGUAGE_CODE: str = setting("en-us", "Default language of messages.")

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.SECRET_KEY:
            yield "SECRET_KEY", SECRET_KEY_MISSING
        elif not self.DEBUG and self.SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX):
            yield "SECRET_KEY", SECRET_KEY_INSECURE
        if not self.DEBUG and not self.ALLOWED_HOSTS:
            yield "ALLOWED_HOSTS", ALLOWED_HOSTS_EMPTY


class DatabaseSettings(Schema, env_prefix="DATABASE_"):
    title = "Database"

    URL: DatabaseURL = setting(
        None,
        "postgres://user:password@host:5432/name, mysql://..., or sqlite:///path. "
        "Default: the SQLite file db.sqlite3 in the project directory.",
    )
    CONN_MAX_AGE: Seconds = setting(
        60,
        "Seconds a connection is kept open for the next request (0: a new connection "
        "for every request). Reuse saves a connect on each request.",
    )
    CONN_HEALTH_CHECKS: bool = setting(
        True, "Check a reused connection before using it, so a dropped one is replaced, not failed."
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        options = {"conn_max_age": self.CONN_MAX_AGE, "conn_health_checks": self.CONN_HEALTH_CHECKS}
        if self.URL:
            database = database_config(self.URL, **options)
        else:
            database = {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": context.base_dir / "db.sqlite3",
                "CONN_MAX_AGE": self.CONN_MAX_AGE,
                "CONN_HEALTH_CHECKS": self.CONN_HEALTH_CHECKS,
            }
        if database["ENGINE"].endswith("sqlite3"):
            # A transaction takes SQLite's write lock when it begins, waiting for it, rather than
            # failing with "database is locked" when two requests that read, then write, meet
            # (API writes run in a transaction; bench/'s create scenario showed it).
            database.setdefault("OPTIONS", {}).setdefault("transaction_mode", "IMMEDIATE")
        return {"DATABASES": {"default": database}}


class CacheSettings(Schema):
    title = "Cache"

    CACHE_URL: CacheURL = setting(
        None,
        "redis://host:6379/0, rediss://..., locmem://, file:///path or dummy://. "
        "Default: REDIS_URL if set, else local memory.",
    )
    REDIS_URL: RedisURL = setting(
        None,
        "A Redis server shared by the cache and the task queue, e.g. redis://127.0.0.1:6379/0; "
        "used where CACHE_URL or CELERY_BROKER_URL is not set.",
    )
    CACHE_KEY_PREFIX: str = setting("", "Prefix of every cache key, to share one server between services.")
    CACHE_TIMEOUT: Seconds = setting(300, "Default lifetime of a cache entry, in seconds.")

    def django_settings(self, context: Context) -> dict[str, Any]:
        url = self.CACHE_URL or self.REDIS_URL or "locmem://"
        config = cache_config(url, key_prefix=self.CACHE_KEY_PREFIX, timeout=self.CACHE_TIMEOUT)
        return {"CACHES": {"default": config}}


class TasksSettings(Schema, env_prefix="CELERY_"):
    title = "Task queue"
    problems_rely_on = {"TASK_SOFT_TIME_LIMIT", "TASK_TIME_LIMIT"}

    BROKER_URL: BrokerURL = setting(
        None,
        "redis://..., rediss://... or amqp://... Default: REDIS_URL if set, else an embedded "
        "broker on local disk (the .tasks folder of the project), for development.",
    )
    RESULT_BACKEND: str | None = setting(
        None, "Where task results are kept, e.g. redis://... Default: REDIS_URL if set, else the database."
    )
    TASK_SOFT_TIME_LIMIT: PositiveInt = setting(
        300, "Seconds after which a running task is asked to stop (SoftTimeLimitExceeded)."
    )
    TASK_TIME_LIMIT: PositiveInt = setting(
        360, "Seconds after which a running task's process is killed."
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.TASK_SOFT_TIME_LIMIT >= self.TASK_TIME_LIMIT:
            yield "TASK_SOFT_TIME_LIMIT", (
                f"must be lower than CELERY_TASK_TIME_LIMIT ({self.TASK_TIME_LIMIT}), "
                "so that a task can clean up before it is killed"
            )

    def django_settings(self, context: Context) -> dict[str, Any]:
        redis_url = context[CacheSettings].REDIS_URL
        result = {
            "CELERY_RESULT_BACKEND": self.RESULT_BACKEND or redis_url or "django-db",
            "CELERY_TASK_SOFT_TIME_LIMIT": self.TASK_SOFT_TIME_LIMIT,
            "CELERY_TASK_TIME_LIMIT": self.TASK_TIME_LIMIT,
        }
        if broker := self.BROKER_URL or redis_url:
            result["CELERY_BROKER_URL"] = broker
        else:
            queue = str(embedded_broker_folder(context.base_dir) / "queue")
            result["CELERY_BROKER_URL"] = "filesystem://"
            result["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
                "data_folder_in": queue,
                "data_folder_out": queue,
                "store_processed": False,
            }
        return result


class EmailSettings(Schema):
    title = "Email"

    EMAIL_URL: EmailURL = setting(
        None,
        "console://, file:///path, locmem://, smtp://user:password@host:25, "
        "smtp+tls://...:587 (STARTTLS) or smtp+ssl://...:465. Default: console (printed, not sent).",
    )
    EMAIL_TIMEOUT: PositiveInt = setting(10, "Seconds before an SMTP connection or command gives up.")
    DEFAULT_FROM_EMAIL: str = setting("webmaster@localhost", "Sender of email sent by the service.")
    SERVER_EMAIL: str = setting("root@localhost", "Sender of error reports to the site's admins.")

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            **email_config(self.EMAIL_URL or "console://"),
            "EMAIL_TIMEOUT": self.EMAIL_TIMEOUT,
            "DEFAULT_FROM_EMAIL": self.DEFAULT_FROM_EMAIL,
            "SERVER_EMAIL": self.SERVER_EMAIL,
        }


class ApiSettings(Schema):
    title = "REST API"

    API_PAGE_SIZE: PositiveInt = setting(20, "Rows in a page of a list, unless `?page_size=` asks for another size.")
    API_MAX_PAGE_SIZE: PositiveInt = setting(100, "The largest `?page_size=` honoured; larger asks get this size.")
    MAX_REQUEST_BODY_SIZE: PositiveInt = setting(
        10 * 1024 * 1024, "Largest request body accepted, in bytes; a larger one is refused with 413."
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "API_MAX_PAGE_SIZE": self.API_MAX_PAGE_SIZE,
            "MAX_REQUEST_BODY_SIZE": self.MAX_REQUEST_BODY_SIZE,
            # Django's own limit on a read body, for bodies sent without a Content-Length.
            "DATA_UPLOAD_MAX_MEMORY_SIZE": self.MAX_REQUEST_BODY_SIZE,
            "REST_FRAMEWORK": {
                "DEFAULT_AUTHENTICATION_CLASSES": [
                    "rest_framework.authentication.SessionAuthentication",
                ],
                "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
                "DEFAULT_PAGINATION_CLASS": "framework.api.pagination.PageNumberPagination",
                "PAGE_SIZE": self.API_PAGE_SIZE,
                "DEFAULT_FILTER_BACKENDS": [
                    "django_filters.rest_framework.DjangoFilterBackend",
                    "rest_framework.filters.SearchFilter",
                    "framework.api.filters.OrderingFilter",
                ],
                "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
                "EXCEPTION_HANDLER": "framework.api.handlers.exception_handler",
            },
        }


class AuthSettings(Schema):
    title = "Authentication"

    JWT_ACCESS_TOKEN_LIFETIME: Duration = setting(
        timedelta(minutes=5), "How long an access token is valid, in seconds."
    )
    JWT_REFRESH_TOKEN_LIFETIME: Duration = setting(
        timedelta(days=1), "How long a refresh token is valid, in seconds."
    )
    JWT_SIGNING_KEY: str = setting("", "Key that signs tokens. Default: SECRET_KEY.", secret=True)

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "SIMPLE_JWT": {
                "ACCESS_TOKEN_LIFETIME": self.JWT_ACCESS_TOKEN_LIFETIME,
                "REFRESH_TOKEN_LIFETIME": self.JWT_REFRESH_TOKEN_LIFETIME,
                "SIGNING_KEY": self.JWT_SIGNING_KEY or context[CoreSettings].SECRET_KEY,
                "ALGORITHM": "HS256",
            }
        }


class CorsSettings(Schema):
    title = "CORS"

    CORS_ALLOWED_ORIGINS: CommaList = setting(
        [],
        "Origins whose browser pages may call the API, e.g. https://app.example.com. "
        "Empty: cross-origin requests are refused.",
    )


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


LogLevel = Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(_upper)]


class LoggingSettings(Schema):
    title = "Logging"

    LOG_LEVEL: LogLevel = setting("INFO", "Least severe level that is logged.")
    LOG_FORMAT: Literal["json", "console"] | None = setting(
        None, "json: one JSON object per line; console: readable lines. Default: console with DEBUG on, json otherwise."
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        log_format = self.LOG_FORMAT or ("console" if context[CoreSettings].DEBUG else "json")
        return {
            "LOGGING": {
                "version": 1,
                "disable_existing_loggers": False,
                "formatters": {
                    "json": {
                        "()": "pythonjsonlogger.json.JsonFormatter",
                        "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                    },
                    "console": {"format": "%(asctime)s %(levelname)-8s %(name)s: %(message)s"},
                },
                "handlers": {
                    "default": {"class": "logging.StreamHandler", "formatter": log_format},
                },
                "root": {"handlers": ["default"], "level": self.LOG_LEVEL},
                # Django's own console handler would print its lines a second time.
                "loggers": {"django": {"handlers": [], "propagate": True}},
            }
        }


class ServerSettings(Schema):
    title = "Server"

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
    WEB_KEEPALIVE: Seconds = setting(5, "Seconds an idle keep-alive connection is held open.")

    def django_settings(self, context: Context) -> dict[str, Any]:
        values = self.model_dump()
        values["WEB_CONCURRENCY"] = self.WEB_CONCURRENCY or 2 * (os.cpu_count() or 1) + 1
        return {"SERVER": values}


def _header_pair(value: list[str]) -> list[str]:
    if value and len(value) != 2:
        raise ValueError("expected a header and a value, e.g. HTTP_X_FORWARDED_PROTO,https")
    return value


ProxyHeader = Annotated[CommaList, AfterValidator(_header_pair)]


class SecuritySettings(Schema):
    title = "Security (production)"

    SECURE_SSL_REDIRECT: bool | None = setting(
        None, "Redirect plain HTTP requests to HTTPS. Default: on when DEBUG is off."
    )
    SECURE_HSTS_SECONDS: Seconds | None = setting(
        None, "Seconds browsers must use HTTPS only (HSTS). Default: one year with DEBUG off, else 0."
    )
    SECURE_HSTS_INCLUDE_SUBDOMAINS: bool | None = setting(
        None, "HSTS covers subdomains too. Default: on when DEBUG is off."
    )
    SECURE_HSTS_PRELOAD: bool | None = setting(
        None, "Allow browsers' HSTS preload lists. Default: on when DEBUG is off."
    )
    SESSION_COOKIE_SECURE: bool | None = setting(
        None, "Send the session cookie over HTTPS only. Default: on when DEBUG is off."
    )
    CSRF_COOKIE_SECURE: bool | None = setting(
        None, "Send the CSRF cookie over HTTPS only. Default: on when DEBUG is off."
    )
    SECURE_PROXY_SSL_HEADER: ProxyHeader = setting(
        [],
        "Behind a proxy that terminates TLS: the header and value that mark an HTTPS request, "
        "e.g. HTTP_X_FORWARDED_PROTO,https.",
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        production = not context[CoreSettings].DEBUG

        def default(value: Any, production_value: Any, development_value: Any) -> Any:
            if value is not None:
                return value
            return production_value if production else development_value

        return {
            "SECURE_SSL_REDIRECT": default(self.SECURE_SSL_REDIRECT, True, False),
            "SECURE_HSTS_SECONDS": default(self.SECURE_HSTS_SECONDS, 365 * 24 * 3600, 0),
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": default(self.SECURE_HSTS_INCLUDE_SUBDOMAINS, True, False),
            "SECURE_HSTS_PRELOAD": default(self.SECURE_HSTS_PRELOAD, True, False),
            "SESSION_COOKIE_SECURE": default(self.SESSION_COOKIE_SECURE, True, False),
            "CSRF_COOKIE_SECURE": default(self.CSRF_COOKIE_SECURE, True, False),
            "SECURE_PROXY_SSL_HEADER": tuple(self.SECURE_PROXY_SSL_HEADER) or None,
        }


BUILTIN_SCHEMAS: list[type[Schema]] = [
    CoreSettings,
    DatabaseSettings,
    CacheSettings,
    TasksSettings,
    EmailSettings,
    ApiSettings,
    AuthSettings,
    CorsSettings,
    LoggingSettings,
    ServerSettings,
    SecuritySettings,
]
