"""The token endpoints exist while the jwt backend is enabled, decided at each request."""

import pytest

from framework.conf.schemas.auth import BACKENDS

from .conftest import PASSWORD, assert_problem

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/token/verify/", "/api/v1/auth/logout/"]


def without_jwt(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": [BACKENDS["api_key"], BACKENDS["session"]],
    }


def test_with_jwt_turned_off_the_token_endpoints_are_not_found(client, alice, settings):
    # A first request loads the URLs and views while JWT is on.
    assert client.post(ENDPOINTS[0], {"username": "alice", "password": PASSWORD}, format="json").status_code == 200

    without_jwt(settings)

    for endpoint in ENDPOINTS:
        assert_problem(client.post(endpoint, {}, format="json"), 404, "not_found")


def test_with_jwt_turned_off_the_schema_leaves_them_out(client, settings):
    without_jwt(settings)

    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert [path for path in paths if path.startswith("/api/v1/auth/")] == []
    assert "/api/v1/books/" in paths
