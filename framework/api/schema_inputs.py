"""One rule for an input, in the OpenAPI schema and where the server reads it.

The schema's `pattern` of a string is an ECMA-262 regular expression, and the
server checks the same text with Python's `re`: each expression here means
the same in both (classes spelled out in ASCII, `[0-9]` and not `\\d`, which is
every Unicode digit in Python; no lookarounds), and is anchored the way both
read alike (`re.fullmatch` on the server, `^(?:...)$` in the schema, since
Python's `$` also matches before a final newline). So a value the schema
admits is one the server accepts, and the other way round.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from rest_framework import fields

#: Any string without a NUL character: Django's and DRF's string fields refuse one (400).
NO_NUL = r"[^\x00]*"

#: The characters Python's `str.strip()` takes away, and DRF with it before a CharField's blank check;
#: not a `\\s`, which is another set in each language.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_WHITESPACE_CLASS = "".join(f"\\u{ord(character):04x}" for character in WHITESPACE)


def text(*, non_blank: bool) -> str:
    """A string without NUL; `non_blank`: with at least one character that is not white space."""
    if not non_blank:
        return NO_NUL
    return rf"{NO_NUL}[^\x00{_WHITESPACE_CLASS}]{NO_NUL}"


_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# A character of a path, query or fragment (RFC 3986's pchar): `%` only before two hex digits.
_PCHAR = r"(?:[a-zA-Z0-9._~!$&'()*+,;=:@-]|%[0-9a-fA-F]{2})"
#: The URLs a URLField takes: http, https, ftp or ftps, a host name with a top-level domain (or
#: localhost, or an IPv4 address), an optional port, path, query and fragment, in RFC 3986's
#: ASCII. Each is one that Django's URLValidator accepts too (its host names are case-insensitive;
#: 253 characters at most, which a field's maxLength of 200, Django's default, keeps to); it also
#: takes what this leaves out (user and password, IPv6 hosts, non-ASCII), which a client encodes.
URL = (
    rf"(?:https?|ftps?)://(?:(?:{_LABEL}\.)+[a-zA-Z]{{2,63}}|localhost|{_OCTET}(?:\.{_OCTET}){{3}})"
    rf"(?::[0-9]{{1,5}})?(?:/(?:{_PCHAR}|/)*)?(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
)


def decimal(max_whole_digits: int, decimal_places: int) -> str:
    """A decimal as a string: a sign, at most `max_whole_digits` digits, a point and at most `decimal_places` more.

    At least one digit: DRF refuses an empty string, `-` and `.`.
    """
    fraction = rf"\.[0-9]{{1,{decimal_places}}}" if decimal_places else ""
    if max_whole_digits == 0:
        # DRF counts the 0 of `0` as a whole digit, and not that of `0.5`.
        return rf"-?0?{fraction}"
    whole = rf"[0-9]{{1,{max_whole_digits}}}"
    if not fraction:
        return rf"-?{whole}"
    return rf"-?(?:{whole}(?:\.[0-9]{{0,{decimal_places}}})?|{fraction})"


def schema_pattern(expression: str) -> str:
    """`expression` as a schema's `pattern`: anchored at both ends, as the server's full match is."""
    return f"^(?:{expression})$"


@functools.lru_cache(maxsize=64)
def _compiled(expression: str) -> re.Pattern[str]:
    return re.compile(expression)


def matches(expression: str, value: str) -> bool:
    return _compiled(expression).fullmatch(value) is not None


def checked_pattern(field: fields.Field) -> str | None:
    """The pattern a serializer field's string input must match, besides DRF's own checks; None: none.

    For a URLField, and a DecimalField with digits and places: DRF's own checks take more than
    the schema can say (`Decimal()` reads ` 1e3 `, Django's URLValidator has lookbehinds).
    """
    if isinstance(field, fields.URLField):
        return URL
    if isinstance(field, fields.DecimalField) and field.max_whole_digits is not None and not field.localize:
        return decimal(field.max_whole_digits, field.decimal_places)
    return None


def plain_string(schema: dict[str, Any]) -> bool:
    """Whether `schema` is a string that says nothing of its characters (no format, pattern or enum)."""
    return schema.get("type") == "string" and not {"format", "pattern", "enum"} & schema.keys()
