"""The built-in schemas: the settings every project has, one class per concern."""

from __future__ import annotations

import os
import re
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from corsheaders.defaults import default_headers as cors_default_headers
from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX
from pydantic import AfterValidator, BeforeValidator, Field

from framework.auth import choices as auth_choices

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


def _email_address(address: str) -> str:
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    # "Service <service@example.com>" is accepted: its mailbox part is what is checked.
    try:
        validate_email(parseaddr(address)[1])
    except ValidationError:
        raise ValueError("not an email address (expected name@example.com or Name <name@example.com>)") from None
    return address


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
EmailAddress = Annotated[str, AfterValidator(_email_address)]
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
    problems_rely_on = {
        "TASK_SOFT_TIME_LIMIT", "TASK_TIME_LIMIT", "VISIBILITY_TIMEOUT", "TASK_RETRY_BACKOFF_MAX"
    }

    BROKER_URL: BrokerURL = setting(
        None,
        "redis://..., rediss://... or amqp://... Default: REDIS_URL if set, else an embedded "
        "broker on local disk (the .tasks folder of the project, or filesystem:///path), for development.",
    )
    RESULT_BACKEND: str | None = setting(
        None, "Where task results are kept, e.g. redis://... Default: REDIS_URL if set, else the database."
    )
    RESULT_EXPIRES: Seconds = setting(
        86400,
        "Seconds a task's result is kept. Redis expires results itself; in the database, "
        "`runscheduler` deletes expired ones daily (0: kept forever).",
    )
    TASK_SOFT_TIME_LIMIT: PositiveInt = setting(
        300, "Seconds after which a running task is asked to stop (SoftTimeLimitExceeded)."
    )
    TASK_TIME_LIMIT: PositiveInt = setting(
        360, "Seconds after which a running task's process is killed."
    )
    TASK_MAX_RETRIES: Seconds = setting(
        5, "Times a task failing with a transient error (connection error, timeout) is retried."
    )
    TASK_RETRY_BACKOFF_MAX: PositiveInt = setting(
        600, "Longest wait, in seconds, before a retry; waits double from 1 s, with random jitter."
    )
    VISIBILITY_TIMEOUT: PositiveInt = setting(
        3600,
        "Redis broker: seconds after which a task taken but not acknowledged is given to another "
        "worker. Must exceed the longest task, countdown or ETA, or the task runs twice.",
    )
    ENQUEUE_TIMEOUT: PositiveInt = setting(
        5, "Seconds an enqueue waits for an unreachable broker before it fails with BrokerUnavailable."
    )
    WORKER_CONCURRENCY: PositiveInt | None = setting(
        None, "Tasks a worker runs at once (`runworker --concurrency`). Default: the number of CPU cores."
    )
    WORKER_HEARTBEAT_FILE: str | None = setting(
        None,
        "File a running worker touches every WORKER_HEARTBEAT_INTERVAL seconds and removes when it "
        "stops, for a container health check. Default: .tasks/worker-heartbeat in the project.",
    )
    WORKER_HEARTBEAT_INTERVAL: PositiveInt = setting(10, "Seconds between two touches of the heartbeat file.")

    def problems(self) -> Iterator[tuple[str, str]]:
        if self.TASK_SOFT_TIME_LIMIT >= self.TASK_TIME_LIMIT:
            yield "TASK_SOFT_TIME_LIMIT", (
                f"must be lower than CELERY_TASK_TIME_LIMIT ({self.TASK_TIME_LIMIT}), "
                "so that a task can clean up before it is killed"
            )
        longest = max(self.TASK_TIME_LIMIT, self.TASK_RETRY_BACKOFF_MAX)
        if self.VISIBILITY_TIMEOUT <= longest:
            yield "VISIBILITY_TIMEOUT", (
                f"must exceed CELERY_TASK_TIME_LIMIT and CELERY_TASK_RETRY_BACKOFF_MAX ({longest}), "
                "or a running or retried task is given to a second worker"
            )

    def django_settings(self, context: Context) -> dict[str, Any]:
        redis_url = context[CacheSettings].REDIS_URL
        # A few attempts, each waiting at most a share of the timeout: an enqueue
        # with the broker down fails in about ENQUEUE_TIMEOUT seconds, never hangs.
        attempts = 2
        connect_timeout = self.ENQUEUE_TIMEOUT / attempts
        result = {
            "CELERY_RESULT_BACKEND": self.RESULT_BACKEND or redis_url or "django-db",
            "CELERY_RESULT_EXPIRES": self.RESULT_EXPIRES or None,
            "CELERY_TASK_SOFT_TIME_LIMIT": self.TASK_SOFT_TIME_LIMIT,
            "CELERY_TASK_TIME_LIMIT": self.TASK_TIME_LIMIT,
            "CELERY_WORKER_CONCURRENCY": self.WORKER_CONCURRENCY,
            "CELERY_BROKER_CONNECTION_TIMEOUT": connect_timeout,
            "CELERY_TASK_PUBLISH_RETRY_POLICY": {
                "max_retries": attempts - 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
            },
            "CELERY_REDIS_SOCKET_CONNECT_TIMEOUT": connect_timeout,
            "CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS": {
                "retry_policy": {"max_retries": attempts - 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
            },
            "TASKS": {
                "MAX_RETRIES": self.TASK_MAX_RETRIES,
                "RETRY_BACKOFF_MAX": self.TASK_RETRY_BACKOFF_MAX,
                "ENQUEUE_TIMEOUT": self.ENQUEUE_TIMEOUT,
                "HEARTBEAT_FILE": self.WORKER_HEARTBEAT_FILE
                or str(embedded_broker_folder(context.base_dir) / "worker-heartbeat"),
                "HEARTBEAT_INTERVAL": self.WORKER_HEARTBEAT_INTERVAL,
            },
        }
        broker = self.BROKER_URL or redis_url
        if broker and not broker.startswith("filesystem:"):
            result["CELERY_BROKER_URL"] = broker
            # Set explicitly, with the time limits in mind (see problems()); amqp ignores it.
            result["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
                "visibility_timeout": self.VISIBILITY_TIMEOUT,
                "socket_connect_timeout": connect_timeout,
            }
        else:
            # filesystem:///path chooses where the embedded broker keeps its messages.
            path = urlsplit(broker).path if broker else ""
            folder = Path(path) if path not in ("", "/") else embedded_broker_folder(context.base_dir)
            # A host, though unused, spares a warning from kombu at every connection.
            result["CELERY_BROKER_URL"] = "filesystem://localhost/"
            result["CELERY_BROKER_TRANSPORT_OPTIONS"] = {
                "data_folder_in": str(folder / "queue"),
                "data_folder_out": str(folder / "queue"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
                # Seconds between two looks for new messages (kombu's default is 1).
                "polling_interval": 0.1,
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
    DEFAULT_FROM_EMAIL: EmailAddress = setting(
        "webmaster@localhost", "Sender of email sent by the service, e.g. `Service <noreply@example.com>`."
    )
    SERVER_EMAIL: EmailAddress = setting("root@localhost", "Sender of error reports to the site's admins.")

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
                # Authentication, permissions and throttling: see AuthSettings.
                **context[AuthSettings].rest_framework(),
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


def _choices_or_import_strings(choices: dict[str, str], *, example: str) -> AfterValidator:
    def validate(value: list[str]) -> list[str]:
        for item in value:
            if item not in choices and not _IMPORT_STRING.fullmatch(item):
                raise ValueError(
                    f"unknown name {item!r} (expected one of: {', '.join(choices)}, "
                    f"or an import string such as {example})"
                )
        return value

    return AfterValidator(validate)


def _resolve(names: list[str], choices: dict[str, str]) -> list[str]:
    return [choices.get(name, name) for name in names]


def _throttle_rate(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("", "off", "none"):
        return None
    if isinstance(value, str) and not _THROTTLE_RATE.fullmatch(value.strip()):
        raise ValueError("expected requests per period, e.g. 100/minute (periods: second, minute, hour, day), or off")
    return value.strip() if isinstance(value, str) else value


def _origins(value: list[str]) -> list[str]:
    for origin in value:
        if origin == "*":
            raise ValueError("'*' is not accepted: list each origin, e.g. https://app.example.com")
        if not _ORIGIN.fullmatch(origin):
            raise ValueError(
                f"{origin!r} is not an origin: expected scheme://host[:port] with no path, "
                "e.g. https://app.example.com"
            )
    return value


_IMPORT_STRING = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)+")
_THROTTLE_RATE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#\s]+")
JWT_MIN_KEY_LENGTH = 32

AuthenticationBackends = Annotated[
    CommaList, _choices_or_import_strings(auth_choices.BACKENDS, example="myapp.auth.HeaderAuthentication")
]
PermissionPolicies = Annotated[
    CommaList, _choices_or_import_strings(auth_choices.PERMISSIONS, example="myapp.permissions.IsPartner")
]
ThrottleRate = Annotated[str | None, BeforeValidator(_throttle_rate)]
Origins = Annotated[CommaList, AfterValidator(_origins)]


class AuthSettings(Schema):
    title = "Authentication"
    problems_rely_on = {
        "API_AUTHENTICATION",
        "JWT_SIGNING_KEY",
        "JWT_ACCESS_TOKEN_LIFETIME",
        "JWT_REFRESH_TOKEN_LIFETIME",
    }

    API_AUTHENTICATION: AuthenticationBackends = setting(
        ["jwt", "api_key", "session"],
        "How API callers prove who they are: session (the browser's sign-in, with CSRF on unsafe "
        "methods), jwt (Authorization: Bearer), api_key (Authorization: Api-Key or X-API-Key), "
        "basic (username and password on every request: slow, off by default), or import strings "
        "of DRF authentication classes.",
    )
    API_DEFAULT_PERMISSIONS: PermissionPolicies = setting(
        ["authenticated"],
        "Who may call API views that do not say otherwise: authenticated, authenticated_or_read_only, "
        "staff, anyone, or import strings of DRF permission classes (all must allow).",
    )
    THROTTLE_ANON_RATE: ThrottleRate = setting(
        "100/minute", "Requests an anonymous client (by IP address) may make, e.g. 100/minute; off: no limit."
    )
    THROTTLE_USER_RATE: ThrottleRate = setting(
        "1000/minute", "Requests a signed-in user, or an API key, may make, e.g. 1000/minute; off: no limit."
    )
    THROTTLE_TOKEN_RATE: ThrottleRate = setting(
        "10/minute",
        "Attempts to obtain a token with a password, per IP address: kept low against password guessing.",
    )
    THROTTLE_TRUSTED_PROXIES: Annotated[int, Field(ge=0)] = setting(
        0,
        "Reverse proxies in front of the service whose X-Forwarded-For entry names the client. "
        "0: the connection's own address identifies it (a client cannot forge it).",
    )
    JWT_ACCESS_TOKEN_LIFETIME: Duration = setting(
        timedelta(minutes=5), "How long an access token is valid, in seconds."
    )
    JWT_REFRESH_TOKEN_LIFETIME: Duration = setting(
        timedelta(days=1), "How long a refresh token is valid, in seconds."
    )
    JWT_SIGNING_KEY: str = setting(
        "", f"Key that signs tokens, at least {JWT_MIN_KEY_LENGTH} characters. Default: SECRET_KEY.", secret=True
    )
    JWT_ALGORITHM: Literal["HS256", "HS384", "HS512"] = setting(
        "HS256", "HMAC algorithm that signs tokens; a token signed with any other (or none) is refused."
    )
    JWT_ROTATE_REFRESH_TOKENS: bool = setting(
        True, "A refresh gives a new refresh token too, and the used one is blacklisted."
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        if not self.API_AUTHENTICATION:
            yield "API_AUTHENTICATION", (
                "is empty, so no caller could sign in; list at least one of: " + ", ".join(auth_choices.BACKENDS)
            )
        if self.JWT_SIGNING_KEY and len(self.JWT_SIGNING_KEY) < JWT_MIN_KEY_LENGTH:
            yield "JWT_SIGNING_KEY", (
                f"is {len(self.JWT_SIGNING_KEY)} characters; an HMAC key needs at least "
                f"{JWT_MIN_KEY_LENGTH}, or leave it empty to use SECRET_KEY; " + GENERATE_KEY
            )
        if self.JWT_REFRESH_TOKEN_LIFETIME <= self.JWT_ACCESS_TOKEN_LIFETIME:
            yield "JWT_REFRESH_TOKEN_LIFETIME", (
                f"must be longer than JWT_ACCESS_TOKEN_LIFETIME ({int(self.JWT_ACCESS_TOKEN_LIFETIME.total_seconds())}s), "
                "or a refresh could not outlive the token it renews"
            )

    def rest_framework(self) -> dict[str, Any]:
        """The entries of REST_FRAMEWORK this schema decides (ApiSettings builds the whole dict)."""
        backends = _resolve(self.API_AUTHENTICATION, auth_choices.BACKENDS)
        # DRF answers 401 (not 403) with the first backend's WWW-Authenticate challenge;
        # a session has no challenge to offer, so it goes last.
        session = auth_choices.BACKENDS["session"]
        backends = [path for path in backends if path != session] + [path for path in backends if path == session]
        return {
            "DEFAULT_AUTHENTICATION_CLASSES": backends,
            "DEFAULT_PERMISSION_CLASSES": _resolve(self.API_DEFAULT_PERMISSIONS, auth_choices.PERMISSIONS),
            "DEFAULT_THROTTLE_CLASSES": list(auth_choices.THROTTLES),
            "DEFAULT_THROTTLE_RATES": {
                "anon": self.THROTTLE_ANON_RATE,
                "user": self.THROTTLE_USER_RATE,
                "token": self.THROTTLE_TOKEN_RATE,
            },
            "NUM_PROXIES": self.THROTTLE_TRUSTED_PROXIES,
        }

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "SIMPLE_JWT": {
                "ACCESS_TOKEN_LIFETIME": self.JWT_ACCESS_TOKEN_LIFETIME,
                "REFRESH_TOKEN_LIFETIME": self.JWT_REFRESH_TOKEN_LIFETIME,
                "SIGNING_KEY": self.JWT_SIGNING_KEY or context[CoreSettings].SECRET_KEY,
                "ALGORITHM": self.JWT_ALGORITHM,
                "AUTH_HEADER_TYPES": ("Bearer",),
                "ROTATE_REFRESH_TOKENS": self.JWT_ROTATE_REFRESH_TOKENS,
                "BLACKLIST_AFTER_ROTATION": True,
                "UPDATE_LAST_LOGIN": False,
                "CHECK_USER_IS_ACTIVE": True,
                # A password change ends the tokens issued before it.
                "CHECK_REVOKE_TOKEN": True,
                "TOKEN_REFRESH_SERIALIZER": "framework.auth.serializers.TokenRefreshSerializer",
            }
        }


class CorsSettings(Schema):
    title = "CORS"

    CORS_ALLOWED_ORIGINS: Origins = setting(
        [],
        "Origins whose browser pages may call the API, e.g. https://app.example.com. "
        "Empty: cross-origin requests are refused.",
    )
    CORS_ALLOW_CREDENTIALS: bool = setting(
        False,
        "Let those pages send cookies (session authentication from another origin); "
        "not needed for tokens or API keys.",
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        return {
            "CORS_ALLOWED_ORIGINS": self.CORS_ALLOWED_ORIGINS,
            "CORS_ALLOW_CREDENTIALS": self.CORS_ALLOW_CREDENTIALS,
            # The API only: the admin and the site stay same-origin.
            "CORS_URLS_REGEX": r"^/api/",
            "CORS_ALLOW_HEADERS": [*cors_default_headers, "x-api-key", "x-request-id"],
            "CORS_EXPOSE_HEADERS": ["Retry-After", "WWW-Authenticate", "X-Request-ID"],
        }


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
            # runserver's line per request: the access log (framework.access) already has one.
            "django.server": {"handlers": [], "propagate": True, "level": "ERROR"},
            # Under `manage.py serve`, gunicorn's lines go to the same handler, in the same format.
            "gunicorn.error": {"handlers": [], "propagate": True, "level": "INFO"},
        }
        for entry in self.LOG_LEVELS:
            name, _, level = entry.partition("=")
            loggers.setdefault(name.strip(), {})["level"] = level.strip().upper()
        return {
            "LOG_ACCESS": self.LOG_ACCESS,
            "LOGGING": {
                "version": 1,
                "disable_existing_loggers": False,
                "filters": {"request": {"()": "framework.logging.context.RequestContextFilter"}},
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
    WEB_MAX_REQUESTS: Seconds = setting(
        1000, "Requests a worker process handles before it is replaced, which bounds slow leaks; 0: never."
    )
    WEB_MAX_REQUESTS_JITTER: Seconds = setting(
        100, "Up to this many more requests, at random, so that workers are not all replaced at once."
    )

    def django_settings(self, context: Context) -> dict[str, Any]:
        values = self.model_dump()
        values["WEB_CONCURRENCY"] = self.WEB_CONCURRENCY or 2 * _cpu_count() + 1
        static = (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if context[CoreSettings].DEBUG
            # Hashed names cached for ever, gzip-compressed copies: served as they are by whitenoise.
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        return {
            "SERVER": values,
            "STORAGES": {
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": static},
            },
        }


def _cpu_count() -> int:
    # The cores this process may run on (a container's limit), not all the machine's.
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class HealthSettings(Schema):
    title = "Health checks"

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
    HealthSettings,
]
