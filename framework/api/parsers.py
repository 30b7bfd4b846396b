"""Request body parsers with bounds: JSON no deeper than API_JSON_MAX_DEPTH, no body with more than API_MAX_FIELDS.

DRF's parsers, with the bounds checked before anything is parsed: a JSON body
nested a thousand levels deep would otherwise reach the recursion limit of the
JSON decoder (a 500), and one with a million keys costs its memory first.
Each is answered 400 `parse_error`.

A UTF-8 JSON body within the bounds is parsed by orjson, which gives the
values Python's json gives (compared on 150,000 random numbers in the tests)
in a fraction of the time. Where orjson refuses a body, DRF's parser parses
it: its error message is the one clients get, as before, and what Python's
json reads and orjson does not is still read (`NaN` and `Infinity` with
`STRICT_JSON` off, `1e400`, a lone surrogate escape). A body with a run of
19 digits or more, which may be an integer beyond 64 bits (orjson reads those
as floats), goes to DRF's parser too.
"""

from __future__ import annotations

import codecs
import functools
import io
import re
from typing import IO, Any

import orjson

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from framework.conf import framework_settings

TOO_DEEP = _("The JSON body is nested more than {limit} levels deep.")
TOO_MANY_FIELDS = _("The body has more than {limit} fields.")
NOT_JSON = _("JSON parse error - the body is not valid JSON.")

# A JSON string (escapes included), and what is neither a bracket nor a key's colon; as text,
# and as UTF-8 bytes (in which no byte of a multi-byte character is one of these ASCII ones).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_STRUCTURE = re.compile(r"[^\[\]{}:]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")
_BYTES = {pattern: re.compile(pattern.pattern.encode()) for pattern in (_STRING, _NOT_STRUCTURE, _EMPTY_PAIR)}
# 19 digits in a row: maybe an integer beyond 64 bits, which orjson would read as a float.
_LONG_DIGITS = re.compile(rb"[0-9]{19}")


def check_json_bounds(text: str | bytes, *, max_depth: int, max_keys: int) -> None:
    """Raise ParseError if `text`, as JSON, nests deeper than `max_depth` or has more than `max_keys` keys.

    Without recursion, in a few passes of regular expressions over the text: strings
    are taken out, then the brackets left are counted, innermost pairs first. Brackets
    that do not pair up are invalid JSON, refused here too. `text` may be UTF-8 bytes.
    """
    patterns = (_STRING, _NOT_STRUCTURE, _EMPTY_PAIR)
    string, not_structure, empty_pair = patterns if isinstance(text, str) else [_BYTES[pattern] for pattern in patterns]
    nothing, colon = ("", ":") if isinstance(text, str) else (b"", b":")
    structure = not_structure.sub(nothing, string.sub(nothing, text))
    brackets = structure.replace(colon, nothing)
    if len(structure) - len(brackets) > max_keys:
        raise ParseError(TOO_MANY_FIELDS.format(limit=max_keys))
    depth = 0
    while brackets:
        if depth == max_depth:
            raise ParseError(TOO_DEEP.format(limit=max_depth))
        reduced = empty_pair.sub(nothing, brackets)
        if reduced == brackets:
            raise ParseError(NOT_JSON)
        brackets, depth = reduced, depth + 1


def _too_many_fields() -> ParseError:
    return ParseError(TOO_MANY_FIELDS.format(limit=framework_settings.API_MAX_FIELDS))


@functools.lru_cache(maxsize=32)
def _is_utf8(encoding: str) -> bool:
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except (LookupError, UnicodeError):
        return False
    return True


#: What fast_loads() answers for a body it leaves to DRF's parser.
UNREAD = object()


def fast_loads(raw: bytes) -> Any:
    """The UTF-8 JSON `raw` read by orjson, or UNREAD where DRF's parser must read it (see the module)."""
    if _LONG_DIGITS.search(raw):
        return UNREAD
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return UNREAD  # DRF's parser reads it, or says in its words what is wrong


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body deeper than API_JSON_MAX_DEPTH or with more than API_MAX_FIELDS keys.

    Parsed by orjson where it reads the same values (see the module), else by DRF's parser.
    """

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        utf8 = _is_utf8(encoding)
        try:
            check_json_bounds(
                raw if utf8 else raw.decode(encoding),
                max_depth=framework_settings.API_JSON_MAX_DEPTH,
                max_keys=framework_settings.API_MAX_FIELDS,
            )
        except (LookupError, UnicodeError):
            pass  # DRF's parser gives its own message for the charset or the bytes
        except ParseError:
            if _decodes(raw, encoding):
                raise
            # Bytes that are not text in the charset: DRF's message for them, as for any such body.
        else:
            if utf8:
                data = fast_loads(raw)
                if data is not UNREAD:
                    return data
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            # Only if the checks above missed a case: still the client's error, not a 500.
            raise ParseError(TOO_DEEP.format(limit=framework_settings.API_JSON_MAX_DEPTH)) from None


class FormParser(parsers.FormParser):
    """DRF's form parser, refusing more than API_MAX_FIELDS fields (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except TooManyFieldsSent:
            raise _too_many_fields() from None


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser, refusing more than API_MAX_FIELDS fields (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS)."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except TooManyFieldsSent:
            raise _too_many_fields() from None

