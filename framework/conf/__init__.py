"""Settings declared as typed schemas and read from the environment, and the framework's own settings."""

from .errors import Problem, SettingsError
from .loader import configure, load
from .schema import Deprecation, Schema, setting
from .settings import framework_settings
from .types import CommaList, Duration

__all__ = [
    "CommaList",
    "Deprecation",
    "Duration",
    "Problem",
    "Schema",
    "SettingsError",
    "configure",
    "framework_settings",
    "load",
    "setting",
]
