"""The framework's own settings: the one FRAMEWORK dict over their defaults, read when they are used.

    from framework.conf import framework_settings

    framework_settings.WEB_TIMEOUT       # FRAMEWORK["WEB_TIMEOUT"], or its default

Keys are the environment variables' names (`LOG_ACCESS`, `CELERY_TASK_MAX_RETRIES`)
and a few derived values (`API_PATH_PREFIX`, `SCHEMAS`, and `SERVICES`: the settings of each
service the project calls, by its name). `configure()` writes
every key; a FRAMEWORK dict that leaves keys out, as `override_settings(FRAMEWORK=
{"LOG_ACCESS": False})` in a test does, gives the others their defaults.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

#: The name of the Django setting.
SETTING = "FRAMEWORK"

UNKNOWN_KEY = "{key!r} is not a framework setting"


def builtin_defaults() -> dict[str, Any]:
    """The default of each key: the built-in schemas' declared defaults, and the derived keys'."""
    from .loader import schema_path
    from .schemas import BUILTIN_SCHEMAS

    defaults: dict[str, Any] = {"SCHEMAS": [schema_path(schema) for schema in BUILTIN_SCHEMAS], "SERVICES": {}}
    for schema in BUILTIN_SCHEMAS:
        defaults.update(schema.model_construct().framework_values())
    return defaults


def closest_key(key: str, known: Mapping[str, Any]) -> str | None:
    """The known key `key` most likely misspells, if one is close."""
    close = difflib.get_close_matches(key, list(known), n=1)
    return close[0] if close else None


def unknown_key(key: str, known: Mapping[str, Any]) -> str:
    """The message for a key that is not a framework setting, naming the likeliest one meant."""
    close = closest_key(key, known)
    return UNKNOWN_KEY.format(key=key) + (f"; did you mean {close!r}?" if close else "")


class FrameworkSettings:
    """`settings.FRAMEWORK` over the defaults, one attribute per key.

    A value is looked up when it is first read, and kept until Django's
    `setting_changed` signal says FRAMEWORK changed (`override_settings`,
    pytest-django's `settings` fixture): every value is then looked up again.
    Reading a key that does not exist raises AttributeError naming the likeliest one.
    """

    def __init__(self, defaults: Mapping[str, Any] | None = None) -> None:
        self._defaults = dict(defaults) if defaults is not None else None
        self._cached: set[str] = set()

    @property
    def defaults(self) -> dict[str, Any]:
        """Each key's default (the built-in schemas' unless given when made)."""
        if self._defaults is None:
            self._defaults = builtin_defaults()
        return self._defaults

    @property
    def user_settings(self) -> Mapping[str, Any]:
        """The FRAMEWORK setting as the project's settings (or an override) give it."""
        return getattr(settings, SETTING, None) or {}

    def __getattr__(self, key: str) -> Any:
        # Only called for a key not read yet since the last reload.
        if key.startswith("_") or key not in self.defaults:
            raise AttributeError(unknown_key(key, self.defaults))
        value = self.user_settings.get(key, self.defaults[key])
        setattr(self, key, value)
        self._cached.add(key)
        return value

    def reload(self) -> None:
        """Forget the values read so far: the next read looks each up again."""
        cached, self._cached = self._cached, set()
        for key in cached:
            self.__dict__.pop(key, None)


framework_settings = FrameworkSettings()


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == SETTING:
        framework_settings.reload()


setting_changed.connect(_reload, dispatch_uid="framework.conf.settings.reload")
