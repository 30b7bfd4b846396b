"""The OpenAPI schema documents the bearer and API-key schemes, and the token endpoints."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_security_schemes(schema):
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jwtAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "An access token from `POST /api/v1/auth/token/`.",
    }
    assert schemes["apiKeyAuth"]["type"] == "apiKey"
    assert (schemes["apiKeyAuth"]["in"], schemes["apiKeyAuth"]["name"]) == ("header", "X-API-Key")
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_an_operation_accepts_either_scheme(schema):
    security = schema["paths"]["/api/v1/books/"]["get"]["security"]

    assert {"jwtAuth": []} in security and {"apiKeyAuth": []} in security


def test_the_token_endpoints_are_documented(schema):
    for path in ("token/", "token/refresh/", "token/verify/", "logout/"):
        assert "post" in schema["paths"][f"/api/v1/auth/{path}"]
    body = schema["paths"]["/api/v1/auth/token/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].startswith("#/components/schemas/")
