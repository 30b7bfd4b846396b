"""Bounded parsing (framework/api/parsers.py): too deep or too many fields is 400 parse_error, before any recursion."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.exceptions import ParseError

from framework.api.parsers import TOO_DEEP, TOO_MANY_FIELDS, check_json_bounds
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
