"""The orjson parser gives the data DRF's JSONParser gives, and DRF's error for a body it refuses."""

import io

import pytest
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from framework.api.parsers import JSONParser

BODIES = [
    b"{}",
    b"[]",
    b'{"title": "A note", "body": "", "tags": ["a", "b"], "n": 1, "f": 2.5, "none": null, "yes": true}',
    b' \t\r\n{"nested": {"deeper": [[[{"x": -0}]]]}, "exp": 1E5, "neg": -1.5e-7} ',
    '{"unicode": "héllo — 😀 \u2028", "escaped": "\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/"}'.encode(),
    b'{"duplicate": 1, "duplicate": 2}',
    b'"a string"',
    b"123",
    b"18446744073709551616",
    b"-9223372036854775809",
    b'{"id": 12345678901234567890123}',
    b"1e400",
    b'"\\ud800"',
]
REFUSED = [b"", b"{", b'{"a": NaN}', b"[Infinity]", b"-Infinity", b"{'single': 1}", b"[1,]", b"\xff\xfe", b"\xef\xbb\xbf{}", b"{} x"]


def parse(parser, body, context=None):
    return parser.parse(io.BytesIO(body), "application/json", context or {})


@pytest.mark.parametrize("body", BODIES)
def test_reads_what_drf_reads(body):
    data = parse(JSONParser(), body)
    expected = parse(parsers.JSONParser(), body)
    assert data == expected and repr(data) == repr(expected)


@pytest.mark.parametrize("body", REFUSED)
def test_refuses_what_drf_refuses_with_its_error(body):
    with pytest.raises(ParseError) as expected:
        parse(parsers.JSONParser(), body)
    with pytest.raises(ParseError) as error:
        parse(JSONParser(), body)
    assert str(error.value.detail) == str(expected.value.detail)


def test_reads_another_charset_as_drf_does():
    body = '{"name": "Zoë"}'.encode("latin-1")
    context = {"encoding": "latin-1"}
    assert parse(JSONParser(), body, context) == parse(parsers.JSONParser(), body, context) == {"name": "Zoë"}
