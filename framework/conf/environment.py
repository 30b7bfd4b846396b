"""The layered sources settings are read from, each value tagged with where it came from."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv.parser import parse_stream

#: Files read from the project directory, highest precedence first.
ENV_FILES = (".env", ".env.default")

FILE_SUFFIX = "_FILE"


@dataclass(frozen=True)
class Value:
    """A raw string value and a human-readable name of its source."""

    raw: str
    source: str


@dataclass(frozen=True)
class FileLine:
    """A line of an env file worth telling about: one that could not be parsed, or a value a ` #` cut short."""

    filename: str
    line: int
    text: str
    #: The variable the line sets, when that much could be read.
    variable: str | None = None


# An unquoted value runs to a `#` after a space: the rest of the line is a comment.
_COMMENT_AFTER_VALUE = re.compile(r"\s#")


def read_env_file(path: Path) -> tuple[dict[str, str], list[FileLine], list[FileLine]]:
    """The values an env file sets (no interpolation: `$` is itself), its unparseable lines, and the
    lines whose unquoted value a ` #` ended (the rest read as a comment)."""
    values: dict[str, str] = {}
    unparsed: list[FileLine] = []
    cut: list[FileLine] = []
    with path.open(encoding="utf-8") as stream:
        for binding in parse_stream(stream):
            text = binding.original.string.rstrip("\r\n")
            line = binding.original.line
            if binding.error:
                unparsed.append(FileLine(path.name, line, text, _variable_of(text)))
                continue
            if binding.key is None:
                continue  # a blank line or a comment
            if binding.value is None:
                unparsed.append(FileLine(path.name, line, text, binding.key))  # a name and no `=`
                continue
            values[binding.key] = binding.value
            raw = text.partition("=")[2].lstrip()
            if binding.value and raw[:1] not in ("'", '"') and _COMMENT_AFTER_VALUE.search(raw):
                cut.append(FileLine(path.name, line, text, binding.key))
    return values, unparsed, cut


def _variable_of(text: str) -> str | None:
    name = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)", text)
    return name.group(1) if name else None


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
        #: Lines of the env files that could not be parsed, and values a ` #` cut short.
        self.unparsed: list[FileLine] = []
        self.cut: list[FileLine] = []
        for filename in ENV_FILES if base_dir is not None else ():
            path = Path(base_dir) / filename
            if path.is_file():
                values, unparsed, cut = read_env_file(path)
                self.layers.append((filename, values))
                self.unparsed += unparsed
                self.cut += cut

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
