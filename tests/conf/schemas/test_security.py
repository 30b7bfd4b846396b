"""The security settings: safe in production unless told otherwise, relaxed in development."""

from framework.conf.schemas import SecuritySettings

from .conftest import PRODUCTION, django_settings, problems_of


def test_production_gets_https_hsts_and_secure_cookies():
    values = django_settings(SecuritySettings, **PRODUCTION)

    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600


def test_development_gets_none_of_them_and_a_setting_wins_over_either():
    development = django_settings(SecuritySettings)
    told = django_settings(SecuritySettings, **PRODUCTION, SECURE_SSL_REDIRECT="false")

    assert not development["SECURE_SSL_REDIRECT"] and development["SECURE_HSTS_SECONDS"] == 0
    assert told["SECURE_SSL_REDIRECT"] is False


def test_the_proxy_header_is_a_pair():
    values = django_settings(SecuritySettings, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")

    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "expected a header and a value" in problems_of(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")[
        "SECURE_PROXY_SSL_HEADER"
    ]
