"""The auth settings: named backends and policies, rates and JWT keys, each validated."""

from datetime import timedelta

import pytest

from framework.conf.schemas import ApiSettings, AuthSettings, CoreSettings
from framework.conf.schemas.auth import BACKENDS

from .conftest import django_settings, load_from, problems_of


def test_defaults():
    rest_framework = django_settings(ApiSettings)["REST_FRAMEWORK"]

    assert rest_framework["DEFAULT_AUTHENTICATION_CLASSES"] == [BACKENDS["jwt"], BACKENDS["api_key"], BACKENDS["session"]]
    assert rest_framework["DEFAULT_PERMISSION_CLASSES"] == ["rest_framework.permissions.IsAuthenticated"]
    assert rest_framework["DEFAULT_THROTTLE_RATES"] == {"anon": "100/minute", "user": "1000/minute", "token": "10/minute"}
    assert rest_framework["NUM_PROXIES"] == 0


def test_backends_by_name_or_import_string_with_session_last():
    rest_framework = django_settings(ApiSettings, API_AUTHENTICATION="session,basic,myapp.auth.Header")["REST_FRAMEWORK"]

    assert rest_framework["DEFAULT_AUTHENTICATION_CLASSES"] == [BACKENDS["basic"], "myapp.auth.Header", BACKENDS["session"]]


def test_the_api_can_be_opened():
    rest_framework = django_settings(ApiSettings, API_DEFAULT_PERMISSIONS="authenticated_or_read_only")["REST_FRAMEWORK"]

    assert rest_framework["DEFAULT_PERMISSION_CLASSES"] == ["rest_framework.permissions.IsAuthenticatedOrReadOnly"]


def test_a_rate_can_be_off():
    assert load_from(THROTTLE_ANON_RATE="off")[AuthSettings].THROTTLE_ANON_RATE is None


@pytest.mark.parametrize(
    ("environ", "variable", "message"),
    [
        ({"API_AUTHENTICATION": "jwt,sesion"}, "API_AUTHENTICATION", "unknown name 'sesion' (expected one of: session, jwt, api_key, basic"),
        ({"API_AUTHENTICATION": ","}, "API_AUTHENTICATION", "is empty, so no caller could sign in"),
        ({"API_DEFAULT_PERMISSIONS": "everyone"}, "API_DEFAULT_PERMISSIONS", "unknown name 'everyone'"),
        ({"THROTTLE_USER_RATE": "100 per minute"}, "THROTTLE_USER_RATE", "expected requests per period, e.g. 100/minute"),
        ({"THROTTLE_TOKEN_RATE": "10/fortnight"}, "THROTTLE_TOKEN_RATE", "expected requests per period"),
        ({"THROTTLE_TRUSTED_PROXIES": "-1"}, "THROTTLE_TRUSTED_PROXIES", "greater than or equal to 0"),
        ({"JWT_ALGORITHM": "none"}, "JWT_ALGORITHM", "HS256"),
        ({"JWT_ALGORITHM": "RS256"}, "JWT_ALGORITHM", "HS256"),
        ({"JWT_SIGNING_KEY": "short"}, "JWT_SIGNING_KEY", "is 5 characters; an HMAC key needs at least 32"),
        ({"JWT_REFRESH_TOKEN_LIFETIME": "60"}, "JWT_REFRESH_TOKEN_LIFETIME", "must be longer than JWT_ACCESS_TOKEN_LIFETIME (300s)"),
    ],
)
def test_bad_values_are_named_with_the_fix(environ, variable, message):
    problems = problems_of(**environ)

    assert variable in problems, problems
    assert message in problems[variable]


def test_a_short_signing_key_is_never_shown():
    problems = problems_of(JWT_SIGNING_KEY="hunter2")

    assert "hunter2" not in problems["JWT_SIGNING_KEY"]


def test_jwt_settings():
    key = "k" * 40
    simple_jwt = django_settings(
        AuthSettings, JWT_SIGNING_KEY=key, JWT_ALGORITHM="HS512", JWT_ACCESS_TOKEN_LIFETIME="60", JWT_ROTATE_REFRESH_TOKENS="false"
    )["SIMPLE_JWT"]

    assert (simple_jwt["SIGNING_KEY"], simple_jwt["ALGORITHM"]) == (key, "HS512")
    assert simple_jwt["ACCESS_TOKEN_LIFETIME"] == timedelta(seconds=60)
    assert simple_jwt["ROTATE_REFRESH_TOKENS"] is False
    assert simple_jwt["CHECK_USER_IS_ACTIVE"] is True


def test_the_signing_key_defaults_to_the_secret_key():
    loaded = load_from()

    assert django_settings(AuthSettings)["SIMPLE_JWT"]["SIGNING_KEY"] == loaded[CoreSettings].SECRET_KEY
