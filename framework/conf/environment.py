"""The layered sources settings are read from, each value tagged with where it came from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

#: Files read from the project directory, highest precedence first.
ENV_FILES = (".env", ".env.default")

FILE_SUFFIX = "_FILE"


@dataclass(frozen=True)
class Value:
    """A raw string value and a human-readable name of its source."""

    raw: str
    source: str


class UnreadableFile(Exception):
    """A `<NAME>_FILE` variable names a file that cannot be read."""

    def __init__(self, variable: str, path: str, source: str, reason: str) -> None:
        self.variable, self.path, self.source, self.reason = variable, path, source, reason
        super().__init__(f"{variable}={path!r} (from {source}): cannot read the file: {reason}")


class Environment:
    """Where settings come from, highest precedence first.

    The process environment, then `.env` and `.env.default` in the project
    directory, then `<NAME>_FILE` (a file holding the value, for container
    secrets). A schema default applies when none of these has the name.
    """

    def __init__(
        self,
        base_dir: Path | None = None,
        *,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.base_dir = base_dir
        environ = os.environ if environ is None else environ
        self.layers: list[tuple[str, Mapping[str, str]]] = [("environment", dict(environ))]
        for filename in ENV_FILES if base_dir is not None else ():
            path = Path(base_dir) / filename
            if path.is_file():
                # Interpolation off: a value is what the file says, `$` included.
                values = dotenv_values(path, interpolate=False)
                self.layers.append((filename, {k: v for k, v in values.items() if v is not None}))

    def names(self) -> set[str]:
        """Every variable name any layer sets."""
        return {name for _, values in self.layers for name in values}

    def get(self, name: str) -> Value | None:
        """The value of `name` from the first layer that sets it, or None.

        An empty value counts as unset, as in `.env` files that list a
        variable blank. A set `<name>_FILE` is always read, even when a
        higher source sets `name`: a secrets file that cannot be read is a
        mistake to report, never to pass over. Raises UnreadableFile then.
        """
        from_file = self._from_file(name + FILE_SUFFIX)
        for source, values in self.layers:
            if values.get(name, "").strip():
                return Value(values[name], source)
        return from_file

    def _from_file(self, variable: str) -> Value | None:
        for source, values in self.layers:
            if values.get(variable, "").strip():
                return self._read_file(variable, values[variable], source)
        return None

    @staticmethod
    def _read_file(variable: str, path: str, source: str) -> Value:
        try:
            content = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise UnreadableFile(variable, path, source, reason) from None
        # Secret files usually end with a newline that is not part of the value.
        return Value(content.rstrip("\r\n"), f"file {path} ({variable})")
