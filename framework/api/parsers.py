"""Request body parsers with bounds: JSON no deeper than API_JSON_MAX_DEPTH, no body with more than API_MAX_FIELDS.

DRF's parsers, with the bounds checked before anything is parsed: a JSON body
nested a thousand levels deep would otherwise reach the recursion limit of the
JSON decoder (a 500), and one with a million keys costs its memory first.
Each is answered 400 `parse_error`.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from framework.conf import framework_settings

TOO_DEEP = _("The JSON body is nested more than {limit} levels deep.")
TOO_MANY_FIELDS = _("The body has more than {limit} fields.")
NOT_JSON = _("JSON parse error - the body is not valid JSON.")

# A JSON string (escapes included), and what is neither a bracket nor a key's colon.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_STRUCTURE = re.compile(r"[^\[\]{}:]+")
_EMPTY_PAIR = re.compile(r"\[\]|\{\}")


def check_json_bounds(text: str, *, max_depth: int, max_keys: int) -> None:
    """Raise ParseError if `text`, as JSON, nests deeper than `max_depth` or has more than `max_keys` keys.

    Without recursion, in a few passes of regular expressions over the text: strings
    are taken out, then the brackets left are counted, innermost pairs first. Brackets
    that do not pair up are invalid JSON, refused here too.
    """
    structure = _NOT_STRUCTURE.sub("", _STRING.sub("", text))
    brackets = structure.replace(":", "")
    if len(structure) - len(brackets) > max_keys:
        raise ParseError(TOO_MANY_FIELDS.format(limit=max_keys))
    depth = 0
    while brackets:
        if depth == max_depth:
            raise ParseError(TOO_DEEP.format(limit=max_depth))
        reduced = _EMPTY_PAIR.sub("", brackets)
        if reduced == brackets:
            raise ParseError(NOT_JSON)
        brackets, depth = reduced, depth + 1


def _too_many_fields() -> ParseError:
    return ParseError(TOO_MANY_FIELDS.format(limit=framework_settings.API_MAX_FIELDS))


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a body deeper than API_JSON_MAX_DEPTH or with more than API_MAX_FIELDS keys."""

    def parse(self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (LookupError, UnicodeError):
            text = None  # DRF's parser gives its own message for the charset or the bytes
        if text is not None:
            check_json_bounds(
                text, max_depth=framework_settings.API_JSON_MAX_DEPTH, max_keys=framework_settings.API_MAX_FIELDS
            )
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

