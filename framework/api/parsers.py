"""JSON request bodies parsed by orjson, into the same data as DRF's JSONParser gives.

orjson is used for a UTF-8 body it reads exactly as `json.loads` does; DRF's
parser reads any other (another charset, a body orjson refuses, an integer of
19 digits or more, which orjson would read as a float), so that an accepted
body and the error for a refused one are DRF's. `JSONParser.decode()` is the
one place the body's bytes become data: a limit on what a body may hold
belongs there.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import Any

import orjson
from django.conf import settings
from rest_framework import parsers

# orjson reads an integer beyond 64 bits as a float; json.loads keeps it exact.
_LONG_INTEGER = re.compile(rb"[0-9]{19}")


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, decoding with orjson where the result is the same (see the module)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        return self.decode(stream.read(), media_type, parser_context or {})

    def decode(self, body: bytes, media_type: str | None, parser_context: dict) -> Any:
        """The data `body` holds, or DRF's ParseError."""
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        if self.strict and codecs.lookup(encoding).name == "utf-8" and not _LONG_INTEGER.search(body):
            try:
                return orjson.loads(body)
            except orjson.JSONDecodeError:
                pass  # DRF reads it again: the same data where json.loads accepts more, or its own error
        return super().parse(io.BytesIO(body), media_type, parser_context)
