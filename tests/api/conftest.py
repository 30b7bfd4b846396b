import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

PROBLEM = "application/problem+json"


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("reader", password="not-used")


@pytest.fixture
def api(user):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


@pytest.fixture
def anonymous():
    # Unhandled errors are answered as a real server would, not re-raised into the test.
    return Client(raise_request_exception=False)


def assert_problem(response, status, code):
    """The response is a problem with `status` and `code`; returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM, response["Content-Type"]
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert body["type"] == "about:blank" and body["title"] and body["detail"]
    assert body["request_id"] == response["X-Request-ID"]
    return body
