"""Masking sensitive values (passwords, tokens, card numbers, URL passwords) wherever they are shown.

The one masker: settings (`manage.py settings`, the errors of the loader), the
cache's and the task queue's messages, health reports and the log formatters
all use it. It lives in framework.conf, which imports no other sub-package, so
that the settings can use it before Django is set up; framework.logging.masking
re-exports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

MASK = "********"

#: A key is sensitive when, lower-cased without `_`, `-` or spaces, it contains one of these...
SENSITIVE_PARTS = (
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "authorization",
    "cookie",
    "privatekey",
    "cardnumber",
    "creditcard",
    "accountnumber",
    "iban",
)
#: ...or is one of these (as parts they would catch innocent keys: `last_access`).
SENSITIVE_KEYS = ("access", "refresh", "cvv", "cvc", "pwd", "pin", "sessionid", "jwt")

# Header values made of a scheme and a credential, or of several cookies: masked to the end of the line.
WHOLE_LINE_PARTS = ("authorization", "cookie")

# `key: value`, `key=value`, `"key": "value"`, `'key': 'value'` inside a text.
_KEY = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)(?P<quote>["']?)[ \t]*[:=][ \t]*""")
_UNQUOTED_END = re.compile(r"""[\s,;&)}\]"']""")
_LINE_END = re.compile(r"""[\r\n"']""")
_SCHEME = r"[A-Za-z][A-Za-z0-9+.-]*://"
# The password of a URL: `postgres://user:password@host`. A password may hold any character
# but a space or a quote, unencoded `/`, `@`, `:` and `%` included: it runs to the URL's last `@`
# (more is masked, never less), the URL ending at a space, a quote, or the next URL of a list.
_URL_PASSWORD = re.compile(
    rf"""(?P<before>{_SCHEME}[^:/@\s"']*:)(?:(?![,;\s"']+{_SCHEME})[^\s"'])+@"""
)
_MAX_DEPTH = 10
# Keys whose answer is kept: bounded, as keys may come from a request's data.
_MAX_KEYS_KEPT = 1024


def normalize(key: str) -> str:
    return re.sub(r"[\s_-]", "", key.lower())


def mask_url(text: str) -> str:
    """`text` with the password of every URL in it (`redis://user:password@host`) replaced by MASK.

    Works on the raw text, not on urllib's parse: a password holding an unencoded
    `/`, `#`, `?` or `@` would otherwise end the parse early and show.
    """
    if "://" not in text:
        return text
    return _URL_PASSWORD.sub(lambda match: f"{match['before']}{MASK}@", text)


class Masker:
    """Replaces the values of sensitive keys by MASK in structures and in text.

    `extra_keys` are a project's own (LOG_MASK_KEYS): each masks the keys
    that contain it, ignoring case, `_` and `-`.
    """

    def __init__(self, extra_keys: Iterable[str] = ()) -> None:
        self.parts = SENSITIVE_PARTS + tuple(normalize(key) for key in extra_keys if key.strip())
        # Each key's answer, kept: a log line asks it of each of its extras' names, which repeat.
        self._sensitive: dict[str, bool] = {}

    def is_sensitive(self, key: Any) -> bool:
        if not isinstance(key, str):
            return False
        known = self._sensitive.get(key)
        if known is None:
            name = normalize(key)
            known = name in SENSITIVE_KEYS or any(part in name for part in self.parts)
            if len(self._sensitive) < _MAX_KEYS_KEPT:
                self._sensitive[key] = known
        return known

    def mask(self, value: Any, depth: int = 0) -> Any:
        """`value` with every sensitive key's value masked, in nested dicts and lists; strings as in mask_text()."""
        if depth > _MAX_DEPTH:
            return "..."
        if isinstance(value, str):
            return self.mask_text(value)
        if isinstance(value, Mapping):
            return {
                key: MASK if self.is_sensitive(key) else self.mask(item, depth + 1) for key, item in value.items()
            }
        if isinstance(value, (list, tuple, set, frozenset)):
            masked = [self.mask(item, depth + 1) for item in value]
            return tuple(masked) if isinstance(value, tuple) else masked
        return value

    def mask_text(self, text: str) -> str:
        """`text` with the value after each sensitive `key:` or `key=` masked (`password=x`, `'token': 'y'`)."""
        if ":" not in text and "=" not in text:
            return text
        text = mask_url(text)
        pieces: list[str] = []
        position = 0
        for match in _KEY.finditer(text):
            if match.start() < position or not self.is_sensitive(match["key"]):
                continue
            start = match.end()
            end = self._value_end(text, start, match["key"])
            if end == start:
                continue
            quoted = text[start] in "\"'"
            pieces += [text[position:start], f"{text[start]}{MASK}{text[start]}" if quoted else MASK]
            position = end
        pieces.append(text[position:])
        return "".join(pieces)

    @staticmethod
    def _value_end(text: str, start: int, key: str) -> int:
        if start >= len(text):
            return start
        quote = text[start]
        if quote in "\"'":
            index = start + 1
            while index < len(text):
                if text[index] == "\\":
                    index += 2
                    continue
                if text[index] == quote:
                    return index + 1
                index += 1
            return len(text)
        ends = _LINE_END if any(part in normalize(key) for part in WHOLE_LINE_PARTS) else _UNQUOTED_END
        found = ends.search(text, start)
        return found.start() if found else len(text)
