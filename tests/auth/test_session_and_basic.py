"""Session authentication (CSRF on unsafe methods) and HTTP basic (off unless a view or the settings choose it)."""

import base64

import pytest
from django.conf import settings
from django.test import Client
from django.utils.crypto import get_random_string

from framework.auth.backends.session import SessionAuthentication

from .conftest import PASSWORD, WHOAMI, assert_problem

pytestmark = pytest.mark.django_db


def basic(username, password):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture
def browser(alice):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(alice)
    return client


def test_a_signed_in_session_reads(browser):
    response = browser.get(WHOAMI)

    assert response.status_code == 200
    assert response.json()["backend"] == "SessionAuthentication"


def test_an_unsafe_method_without_a_csrf_token_is_refused(browser):
    body = assert_problem(browser.post(WHOAMI), 403, "permission_denied")

    assert "CSRF" in body["detail"]


def test_an_unsafe_method_with_the_csrf_token_is_accepted(browser):
    token = get_random_string(32)  # what Django's CSRF cookie holds; a page would have set it
    browser.cookies[settings.CSRF_COOKIE_NAME] = token

    assert browser.post(WHOAMI, HTTP_X_CSRFTOKEN=token).status_code == 200


def test_session_goes_last_so_that_anonymous_calls_get_a_bearer_challenge():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_AUTHENTICATION_CLASSES[-1] is SessionAuthentication


def test_session_alone_still_answers_401_with_a_challenge():
    assert SessionAuthentication().authenticate_header(None) == 'Session realm="api"'


def test_basic_is_off_by_default(client, alice):
    response = client.get(WHOAMI, **basic("alice", PASSWORD))

    assert_problem(response, 401, "not_authenticated")


def test_basic_where_a_view_chooses_it(client, alice):
    assert client.get("/api/test/basic/", **basic("alice", PASSWORD)).json() == {"username": "alice"}

    response = client.get("/api/test/basic/", **basic("alice", "wrong"))
    assert_problem(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == 'Basic realm="api"'
