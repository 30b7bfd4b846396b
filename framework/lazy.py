"""Lazy facades: a package's public names, each imported from its module on first use.

For the packages Django or DRF import while they are still setting up (an
installed app, a module named in REST_FRAMEWORK): importing their modules at
once would fail then, or import what the caller does not need.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def facade(package: str, names: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's `__getattr__` and `__dir__`, giving each of `names` (name -> module, relative) when first used."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(names[name], package), name)
        # Found directly from now on, without calling __getattr__ again.
        setattr(importlib.import_module(package), name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(importlib.import_module(package)), *names})

    return __getattr__, __dir__


def lazy_view(path: str, **initkwargs: Any) -> Callable[..., Any]:
    """A URL's view that imports the class-based view at `path` (`module.Class`) on its first request.

    For views few processes ever serve (the OpenAPI schema and its pages): their
    modules stay out of the workers and commands that never answer them.
    """
    view: Callable[..., Any] | None = None

    def lazy(request: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal view
        if view is None:
            module, name = path.rsplit(".", 1)
            view = getattr(importlib.import_module(module), name).as_view(**initkwargs)
        return view(request, *args, **kwargs)

    # DRF's views are exempt from Django's CSRF check (they make their own): so is this stand-in.
    lazy.csrf_exempt = True  # type: ignore[attr-defined]
    lazy.__name__ = lazy.__qualname__ = path.rsplit(".", 1)[1]
    return lazy
