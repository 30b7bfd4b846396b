"""JSON responses rendered by orjson, byte for byte as DRF's JSONRenderer renders them.

DRF's renderer runs `json.dumps` with a Python `default()` for every value
JSON has no type for. orjson writes the same JSON in a fraction of the time; it
is used whenever the result is known to be identical, and DRF's renderer
otherwise, so no response changes:

- values JSON has no type for (lazy strings, Decimal, datetimes, sets...) go
  through DRF's own encoder's `default()`, as under DRF;
- the few floats orjson writes differently (`1e-7` where Python writes
  `1e-07`, `0.00001` for `1e-05`), a NaN or an infinity (which DRF refuses),
  an integer beyond 64 bits or a key that is not a string: DRF renders it;
- an indented rendering (`?format=json` with `indent=`, the browsable API),
  or a renderer configured otherwise (not compact, ASCII only, not strict): DRF renders it.
"""

from __future__ import annotations

import math
import re
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

# Python writes a float below 1e-4 with an exponent and every exponent with at least two
# digits; orjson writes `0.00001` and `1e-7`. A number like these in the output (or text
# that looks like one, inside a string) sends the rendering to DRF. The searches start
# with a literal, which `re` finds fast; what comes before a match is checked only then.
_SHORT_EXPONENT = re.compile(rb"e-[0-9](?![0-9])")
_SMALL_DECIMAL = re.compile(rb"0\.0000")
_MANTISSA_END = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?\Z")
_NUMBER_STARTS_AFTER = frozenset(b":,[")
# U+2028 and U+2029, which DRF escapes (JavaScript before ES2019 reads them as line ends).
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


class _Mismatch(Exception):
    """orjson would not write what DRF writes: DRF renders this one."""


_drf_default = encoders.JSONEncoder().default


def _default(value: Any) -> Any:
    converted = _drf_default(value)
    if isinstance(converted, float) and not math.isfinite(converted):
        raise _Mismatch  # a NaN or infinite Decimal: DRF's strict JSON refuses it
    return converted


def _number_starts_at(content: bytes, start: int) -> bool:
    """Whether a JSON number (not text inside a string) may start at `start`."""
    return start == 0 or content[start - 1] in _NUMBER_STARTS_AFTER


def _float_mismatch(content: bytes) -> bool:
    """Whether `content` may hold a float orjson wrote otherwise than Python's json."""
    for match in _SHORT_EXPONENT.finditer(content):
        window = max(0, match.start() - 32)
        mantissa = _MANTISSA_END.search(content, window, match.start())
        if mantissa and _number_starts_at(content, mantissa.start()):
            return True
    for match in _SMALL_DECIMAL.finditer(content):
        start = match.start() - (match.start() > 0 and content[match.start() - 1] == ord("-"))
        if _number_starts_at(content, start):
            return True
    return False


_CONTAINERS = (dict, list, tuple, float)
_LEAVES = frozenset((str, int, bool, type(None)))  # most values: skipped by one set lookup


def _has_non_finite(data: Any) -> bool:
    """Whether `data` holds a NaN or an infinity, which orjson writes as null."""
    if isinstance(data, float):
        return not math.isfinite(data)
    for value in data.values() if isinstance(data, dict) else data:
        if type(value) not in _LEAVES and isinstance(value, _CONTAINERS) and _has_non_finite(value):
            return True
    return False


def dumps(data: Any) -> bytes | None:
    """`data` as DRF's compact, strict, UTF-8 JSONRenderer writes it; None where orjson cannot promise that."""
    try:
        content = orjson.dumps(data, default=_default, option=_OPTIONS)
    except (orjson.JSONEncodeError, _Mismatch):
        return None
    if _float_mismatch(content) or (
        b"null" in content and isinstance(data, _CONTAINERS) and _has_non_finite(data)
    ):
        return None
    for separator, escaped in _LINE_SEPARATORS:
        if separator in content:
            content = content.replace(separator, escaped)
    return content


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSONRenderer, rendering with orjson where the bytes are the same (see the module)."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        if (
            data is not None
            and self.compact
            and not self.ensure_ascii
            and self.strict
            and self.encoder_class is encoders.JSONEncoder
            and self.get_indent(accepted_media_type or "", renderer_context or {}) is None
        ):
            content = dumps(data)
            if content is not None:
                return content
        return super().render(data, accepted_media_type, renderer_context)
