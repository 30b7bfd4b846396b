"""The built-in schemas: the settings every project has, one module per concern."""

from __future__ import annotations

from ..schema import Schema
from .api import ApiSettings
from .auth import AuthSettings
from .cache import CacheSettings
from .core import CoreSettings
from .cors import CorsSettings
from .database import DatabaseSettings
from .email import EmailSettings
from .health import HealthSettings
from .logging import LoggingSettings
from .metrics import MetricsSettings
from .security import SecuritySettings
from .server import ServerSettings
from .tasks import TasksSettings
from .tracing import TracingSettings

#: In the order of the settings reference; a schema's django_settings() may read those before it.
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
    MetricsSettings,
    TracingSettings,
]

__all__ = [
    "BUILTIN_SCHEMAS",
    "ApiSettings",
    "AuthSettings",
    "CacheSettings",
    "CoreSettings",
    "CorsSettings",
    "DatabaseSettings",
    "EmailSettings",
    "HealthSettings",
    "LoggingSettings",
    "MetricsSettings",
    "SecuritySettings",
    "ServerSettings",
    "TasksSettings",
    "TracingSettings",
]
