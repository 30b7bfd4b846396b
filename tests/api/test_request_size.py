import pytest

from tests.api.conftest import assert_problem
from tests.testapp.models import Book

pytestmark = pytest.mark.django_db


def test_a_20_mb_body_is_refused_with_413(api):
    body = '{"title": "' + "x" * (20 * 1024 * 1024) + '", "pages": 1}'

    response = api.post("/api/v1/books/", body, content_type="application/json")

    problem = assert_problem(response, 413, "payload_too_large")
    assert "10485760" in problem["detail"]
    assert not Book.objects.exists()


def test_limit_comes_from_settings(api, settings):
    settings.FRAMEWORK = {"MAX_REQUEST_BODY_SIZE": 100}

    assert_problem(api.post("/api/v1/books/", {"title": "x" * 200, "pages": 1}, format="json"), 413, "payload_too_large")
    assert api.post("/api/v1/books/", {"title": "short", "pages": 1}, format="json").status_code == 201


def test_limit_outside_the_api_is_a_plain_413(anonymous):
    response = anonymous.post("/admin/login/", "x" * (11 * 1024 * 1024), content_type="text/plain")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
