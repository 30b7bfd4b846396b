"""The one error raised when settings are wrong, listing every problem."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Problem:
    """One wrong setting: the variable, its displayed (masked) value, its source, and what is expected."""

    variable: str
    message: str
    value: str | None = None
    source: str | None = None

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.variable}: {self.message}"
        return f"{self.variable}={self.value!r} (from {self.source}): {self.message}"


class SettingsError(ImproperlyConfigured):
    """The settings read from the environment are not valid.

    Its message lists every problem found, one per line, so that all of
    them can be fixed at once.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = [f"The settings have {count} problem{'s' if count != 1 else ''}:"]
        lines += [f"  - {problem}" for problem in problems]
        super().__init__("\n".join(lines))
