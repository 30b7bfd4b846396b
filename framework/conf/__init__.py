"""Settings declared as typed schemas and read from the environment."""

from .errors import Problem, SettingsError
from .loader import configure, load
from .schema import CommaList, Duration, Schema, setting

__all__ = ["CommaList", "Duration", "Problem", "Schema", "SettingsError", "configure", "load", "setting"]
