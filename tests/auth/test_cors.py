"""CORS: only listed origins, only under /api/, on errors and preflights too."""

import pytest
from django.test import Client, override_settings

from .conftest import WHOAMI

pytestmark = pytest.mark.django_db

ORIGIN = "https://app.example.com"
ALLOWED = override_settings(CORS_ALLOWED_ORIGINS=[ORIGIN])


@pytest.fixture
def browser():
    return Client(raise_request_exception=False)


def test_no_origin_is_allowed_by_default(browser):
    response = browser.get("/api/v1/", HTTP_ORIGIN=ORIGIN)

    assert "Access-Control-Allow-Origin" not in response


@ALLOWED
def test_a_listed_origin_is_allowed_on_the_api(browser):
    response = browser.get("/api/v1/", HTTP_ORIGIN=ORIGIN)

    assert response["Access-Control-Allow-Origin"] == ORIGIN
    assert "X-Request-ID" in response["Access-Control-Expose-Headers"]


@ALLOWED
def test_another_origin_is_not(browser):
    response = browser.get("/api/v1/", HTTP_ORIGIN="https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response


@ALLOWED
def test_only_the_api_is_shared(browser):
    response = browser.get("/admin/login/", HTTP_ORIGIN=ORIGIN)

    assert "Access-Control-Allow-Origin" not in response


@ALLOWED
def test_a_preflight_allows_the_auth_headers(browser):
    response = browser.options(
        WHOAMI,
        HTTP_ORIGIN=ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, x-api-key, content-type",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ORIGIN
    allowed = response["Access-Control-Allow-Headers"]
    assert "authorization" in allowed and "x-api-key" in allowed


@ALLOWED
@pytest.mark.parametrize(("path", "status"), [(WHOAMI, 401), ("/api/nothing/", 404)])
def test_errors_carry_the_cors_headers_so_the_page_can_read_them(browser, path, status):
    response = browser.get(path, HTTP_ORIGIN=ORIGIN)

    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Access-Control-Allow-Origin"] == ORIGIN


def test_the_middleware_is_outside_everything_that_answers():
    from django.conf import settings

    middleware = settings.MIDDLEWARE
    cors = middleware.index("corsheaders.middleware.CorsMiddleware")
    for answering in (
        "framework.api.middleware.ProblemMiddleware",
        "framework.api.middleware.RequestSizeLimitMiddleware",
        "framework.auth.failures.FailedAuthenticationThrottleMiddleware",
        "django.middleware.common.CommonMiddleware",
    ):
        assert cors < middleware.index(answering)
