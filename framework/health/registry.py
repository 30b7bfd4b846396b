"""The readiness checks a project registers: functions with a decorator, or classes with `check_*` methods."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from django.core.checks import CheckMessage
from django.utils.module_loading import autodiscover_modules

#: What a check returns: nothing when all is well, else Django check messages
#: (`checks.Error` fails readiness, `checks.Warning` is reported only).
CheckFunction = Callable[[], Iterable[CheckMessage] | None]
Target = TypeVar("Target", bound=Callable[..., Any])

DUPLICATE = "a health check named {name!r} is registered twice; give one of them another name"
NOT_REGISTERED = "no health check named {name!r} is registered (registered: {names})"


@dataclass(frozen=True)
class Check:
    name: str
    function: CheckFunction
    #: Seconds it may take; None: HEALTH_CHECK_TIMEOUT.
    timeout: float | None = None


class HealthCheck:
    """A group of readiness checks: each method `check_<name>` is the check `<name>`.

    A method returns None (or nothing) when all is well, else a list of
    Django check messages: `checks.Error(...)` makes the service not ready,
    `checks.Warning(...)` is reported without failing. An exception counts
    as an error. Register the class with `@health_check`; `timeout` applies
    to each of its checks.
    """

    timeout: float | None = None

    def checks(self) -> list[Check]:
        return [
            Check(name.removeprefix("check_"), getattr(self, name), self.timeout)
            for name in dir(self)
            if name.startswith("check_") and callable(getattr(self, name))
        ]


_registered: dict[str, Check] = {}
_discovered = False


def _register(target: Any, name: str | None, timeout: float | None) -> None:
    if isinstance(target, type) and issubclass(target, HealthCheck):
        instance = target()
        if timeout is not None:
            instance.timeout = timeout
        found = instance.checks()
    else:
        found = [Check(name or target.__name__, target, timeout)]
    for check in found:
        if check.name in _registered and _same(_registered[check.name].function) != _same(check.function):
            raise ValueError(DUPLICATE.format(name=check.name))
        _registered[check.name] = check


def _same(function: Any) -> Any:
    # A class registered again has new bound methods of the same functions.
    return getattr(function, "__func__", function)


@overload
def health_check(target: Target, /) -> Target: ...
@overload
def health_check(*, name: str | None = None, timeout: float | None = None) -> Callable[[Target], Target]: ...


def health_check(target: Any = None, /, *, name: str | None = None, timeout: float | None = None) -> Any:
    """Register a readiness check: a function (named after it unless `name` is given) or a HealthCheck class.

    Put checks in an app's `health.py`: it is imported when checks first run.
    """
    if target is not None:
        _register(target, name, timeout)
        return target

    def decorate(target: Target) -> Target:
        _register(target, name, timeout)
        return target

    return decorate


def unregister(name: str) -> None:
    """Remove the check `name` (a test's own, or a built-in app's a project does not want)."""
    try:
        del _registered[name]
    except KeyError:
        raise LookupError(NOT_REGISTERED.format(name=name, names=", ".join(sorted(_registered)) or "none")) from None


def registered() -> list[Check]:
    """The checks projects registered, after importing each installed app's `health` module once."""
    global _discovered
    if not _discovered:
        autodiscover_modules("health")
        _discovered = True
    return list(_registered.values())

