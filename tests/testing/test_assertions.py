"""framework.testing's assertions: they pass on the shapes they name and fail showing the response body."""

from __future__ import annotations

import pytest

from framework.testing import assert_field_error, assert_page, assert_problem
from tests.testapp.models import Book

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(session_client):
    return session_client


def test_assert_problem_returns_the_body_of_a_matching_problem(api):
    response = api.get("/api/v1/books/999/")

    body = assert_problem(response, status=404, code="not_found")

    assert body["request_id"] == response["X-Request-ID"]


def test_a_wrong_code_fails_with_the_response_body_in_the_message(api):
    response = api.get("/api/v1/books/999/")

    with pytest.raises(AssertionError) as failure:
        assert_problem(response, status=404, code="x")

    message = str(failure.value)
    assert "expected code 'x', got 'not_found'" in message
    assert '"code":"not_found"' in message  # the actual body, as received


def test_a_wrong_status_fails(api):
    with pytest.raises(AssertionError, match="expected status 400"):
        assert_problem(api.get("/api/v1/books/999/"), status=400)


def test_a_success_is_not_a_problem(api):
    with pytest.raises(AssertionError, match="expected a problem"):
        assert_problem(api.get("/api/v1/books/"))


def test_assert_field_error_finds_the_error_on_a_dotted_path(api):
    response = api.post("/api/test/shelf/", {"name": "x", "books": [{"title": "t"}]}, format="json")

    error = assert_field_error(response, "books.0.pages", code="required")

    assert error["message"]


def test_assert_field_error_fails_naming_the_fields_that_have_errors(api):
    response = api.post("/api/v1/books/", {"pages": 3}, format="json")

    with pytest.raises(AssertionError, match=r"expected an error on 'pages'; the errors are on \['title'\]"):
        assert_field_error(response, "pages")
    with pytest.raises(AssertionError, match="expected code 'invalid' on 'title'"):
        assert_field_error(response, "title", code="invalid")


def test_assert_page_returns_the_results_and_checks_the_count(api):
    Book.objects.bulk_create([Book(title=f"b{n}", pages=n) for n in range(3)])

    results = assert_page(api.get("/api/v1/books/"), count=3)

    assert [book["title"] for book in results] == ["b0", "b1", "b2"]
    with pytest.raises(AssertionError, match="expected count 4, got 3"):
        assert_page(api.get("/api/v1/books/"), count=4)


def test_assert_page_fails_on_a_detail(api):
    book = Book.objects.create(title="t", pages=1)

    with pytest.raises(AssertionError, match="expected a page envelope"):
        assert_page(api.get(f"/api/v1/books/{book.pk}/"))
