"""Bounded parsing (framework/api/parsers.py): too deep or too many fields is 400 parse_error, before any recursion;
JSON read by orjson where it reads what DRF's parser reads."""

import io
import json
import math
import random
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from framework.api.parsers import TOO_DEEP, TOO_MANY_FIELDS, UNREAD, JSONParser, check_json_bounds, fast_loads
from tests.api.conftest import assert_problem
from tests.testapp.models import Book

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    """A JSON value `depth` levels deep: arrays and objects, alternately."""
    text = "1"
    for level in range(depth):
        text = f"[{text}]" if level % 2 else f'{{"k": {text}}}'
    return text


def book(extra: str = "1") -> str:
    return f'{{"title": "Dune", "pages": 412, "extra": {extra}}}'


@pytest.mark.parametrize("deep", [nested(1_000), "[" * 100_000 + "]" * 100_000])
def test_deep_json_is_a_parse_error_not_a_server_error(api, deep):
    response = api.post("/api/v1/books/", book(deep), content_type="application/json")

    problem = assert_problem(response, 400, "parse_error")
    assert problem["detail"] == TOO_DEEP.format(limit=64)
    assert not Book.objects.exists()


def test_deep_json_to_the_token_endpoint_without_credentials_is_a_parse_error(anonymous):
    body = '{"username": "a", "password": "b", "x": ' + "[" * 5_000 + "]" * 5_000 + "}"

    response = anonymous.post("/api/v1/auth/token/", body, content_type="application/json")

    assert_problem(response, 400, "parse_error")


def test_unbalanced_deep_json_is_a_parse_error(api):
    response = api.post("/api/v1/books/", "[" * 100_000, content_type="application/json")

    assert_problem(response, 400, "parse_error")


def test_json_as_deep_as_the_limit_is_parsed(api):
    # The book itself is the first level.
    response = api.post("/api/v1/books/", book(nested(63)), content_type="application/json")

    assert response.status_code == 201, response.content


def test_one_level_more_is_refused(api):
    response = api.post("/api/v1/books/", book(nested(64)), content_type="application/json")

    assert_problem(response, 400, "parse_error")


def test_brackets_inside_strings_do_not_count(api):
    title = '[{\\"[:' * 40  # 160 brackets and 40 colons, all inside the string
    response = api.post("/api/v1/books/", f'{{"title": "{title}", "pages": 1}}', content_type="application/json")

    assert response.status_code == 201, response.content
    assert Book.objects.get().title == title.replace("\\", "")


def test_more_keys_than_the_limit_is_a_parse_error(api):
    extra = json.dumps([{f"k{i}": i for i in range(100)} for _ in range(10)])  # 1000 keys, and the book's 3

    response = api.post("/api/v1/books/", book(extra), content_type="application/json")

    problem = assert_problem(response, 400, "parse_error")
    assert problem["detail"] == TOO_MANY_FIELDS.format(limit=1000)


def test_as_many_keys_as_the_limit_are_parsed(api):
    extra = json.dumps([{f"k{i}": i for i in range(997)}])

    assert api.post("/api/v1/books/", book(extra), content_type="application/json").status_code == 201


def test_the_limits_come_from_settings(api, settings):
    settings.FRAMEWORK = {"API_JSON_MAX_DEPTH": 3, "API_MAX_FIELDS": 5}

    assert api.post("/api/v1/books/", book("[[1]]"), content_type="application/json").status_code == 201
    assert_problem(api.post("/api/v1/books/", book("[[[1]]]"), content_type="application/json"), 400, "parse_error")
    assert_problem(
        api.post("/api/v1/books/", book('{"a": 1, "b": 2, "c": 3}'), content_type="application/json"), 400, "parse_error"
    )


def test_a_form_with_more_fields_than_the_limit_is_a_parse_error(api):
    body = "&".join(f"f{i}=1" for i in range(1_001))

    response = api.post("/api/v1/books/", body, content_type="application/x-www-form-urlencoded")

    problem = assert_problem(response, 400, "parse_error")
    assert problem["detail"] == TOO_MANY_FIELDS.format(limit=1000)


def test_a_multipart_form_with_more_fields_than_the_limit_is_a_parse_error(api):
    data = {f"f{i}": "1" for i in range(1_001)} | {"file": SimpleUploadedFile("a.txt", b"x")}

    response = api.post("/api/v1/books/", data, format="multipart")

    assert_problem(response, 400, "parse_error")


@pytest.mark.parametrize(
    ("text", "depth", "keys"),
    [
        ("1", 0, 0),
        ('"[[[{{{:::"', 0, 0),
        ('{"a\\"[": [1, {"b": []}]}', 4, 2),
        ('[[], [[]], {"x": {"y": [[]]}}]', 5, 2),
    ],
)
def test_the_bounds_of_valid_json(text, depth, keys):
    json.loads(text)
    check_json_bounds(text, max_depth=depth, max_keys=keys)
    if depth:
        with pytest.raises(ParseError):
            check_json_bounds(text, max_depth=depth - 1, max_keys=keys)
    if keys:
        with pytest.raises(ParseError):
            check_json_bounds(text, max_depth=depth, max_keys=keys - 1)


# JSON bodies are read by orjson where it reads what DRF's parser reads, and by DRF's parser otherwise.


def parse(parser, body: bytes, encoding: str = "utf-8"):
    try:
        return "parsed", parser.parse(io.BytesIO(body), "application/json", {"encoding": encoding})
    except ParseError as error:
        return "refused", str(error.detail)


READ_BY_ORJSON = [
    b'{"title": "Dune", "pages": 412}',
    '{"ключ": "значение", "emoji": "🎉👩‍👩‍👧", "escaped": "\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/"}'.encode(),
    b'[null, true, false, 0, -0, -1, 1.0, -0.0, 1E2, 1e-400, 0.1, 5e-324, 1.7976931348623157e308]',
    b'[999999999999999999, -922337203685477580, 123456789012345678]',  # 18 digits at most
    b'{"a": 1, "b": 2, "a": 3}',  # the last of a repeated key, at the place of the first, as Python's json
    b' \t\r\n{"nested": [[[{"deep": {}}]]]} \n',
    b'"a string"',
    b"12",
]
READ_BY_DRF = [
    b"[9223372036854775807, 18446744073709551616, -9223372036854775809]",  # 19 digits and more: maybe beyond 64 bits
    b"[2e400, -1e999]",  # infinite
    b'["1234567890123456789"]',  # 19 digits, even in a string
    b'["\\ud800", "\\udc00"]',  # lone surrogates, which orjson refuses
]
REFUSED = [
    b"[NaN]", b"[Infinity]", b"[-Infinity]", b"[1,]", b'{"a": 1,}', b"[01]", b"[.5]", b"['a']", b"{a: 1}",
    b"\xef\xbb\xbf{}", b'"\xff"', b'"\xed\xa0\x80"', b'["\x01"]', b"[1] x", b"[1 2]", b"\x00", b" ",
]


@pytest.mark.parametrize("body", READ_BY_ORJSON + READ_BY_DRF)
def test_a_json_body_is_read_as_drf_s_parser_reads_it(body):
    ours, drf = parse(JSONParser(), body), parse(parsers.JSONParser(), body)

    assert ours == drf and repr(ours) == repr(drf)  # ints stay ints, floats floats


@pytest.mark.parametrize("body", READ_BY_ORJSON)
def test_orjson_reads_the_usual_bodies(body):
    assert fast_loads(body) is not UNREAD


@pytest.mark.parametrize("body", READ_BY_DRF + REFUSED)
def test_what_orjson_would_read_otherwise_or_refuses_is_left_to_drf(body):
    assert fast_loads(body) is UNREAD


@pytest.mark.parametrize("body", REFUSED)
def test_a_body_that_is_not_json_gets_drf_s_message(body):
    ours, drf = parse(JSONParser(), body), parse(parsers.JSONParser(), body)

    assert ours[0] == "refused" and ours == drf


def test_numbers_of_every_magnitude_are_read_as_drf_s_parser_reads_them():
    randomly = random.Random(21)
    floats = [struct.unpack("<d", struct.pack("<Q", randomly.getrandbits(64)))[0] for _ in range(50_000)]
    texts = [repr(value) for value in floats if math.isfinite(value)]
    texts += [f"{randomly.randint(-10**17, 10**17)}.{randomly.getrandbits(40)}e{randomly.randint(-330, 310)}" for _ in range(50_000)]
    texts += [str(randomly.randint(-(2**63), 2**64)) for _ in range(50_000)]
    body = ("[" + ",".join(texts) + "]").encode()

    assert repr(parse(JSONParser(), body)) == repr(parse(parsers.JSONParser(), body))
    assert parse(JSONParser(), b"[" + b",".join(text.encode() for text in texts[:200]) + b"]")[0] == "parsed"


def test_a_body_in_another_charset_is_bounded_and_read_by_drf_s_parser():
    body = '{"title": "café"}'.encode("latin-1")

    assert parse(JSONParser(), body, "latin-1") == ("parsed", {"title": "café"}) == parse(parsers.JSONParser(), body, "latin-1")
    with pytest.raises(ParseError):
        JSONParser().parse(io.BytesIO(("[" * 100 + "]" * 100).encode("utf-16")), None, {"encoding": "utf-16"})


def test_a_deep_body_that_is_not_utf_8_gets_drf_s_message_for_its_bytes():
    body = b"\xff" + b"[" * 1_000 + b"]" * 1_000

    assert parse(JSONParser(), body) == parse(parsers.JSONParser(), body)
