"""EMAIL_URL and the senders, from the environment to Django's settings."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import BUILTIN_SCHEMAS, EmailSettings


def email_settings(**environ):
    loaded = load(BUILTIN_SCHEMAS, Environment(None, environ={"SECRET_KEY": "k", "DEBUG": "true", **environ}))
    return loaded[EmailSettings].django_settings(None)


def test_console_by_default_with_smtp_timeouts_set():
    settings = email_settings()

    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["EMAIL_TIMEOUT"] == 10
    assert (settings["DEFAULT_FROM_EMAIL"], settings["SERVER_EMAIL"]) == ("webmaster@localhost", "root@localhost")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:1025", {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 1025, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False}),
        ("smtp+tls://me:p%40ss@mail.example", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_HOST_USER": "me", "EMAIL_HOST_PASSWORD": "p@ss"}),
        ("smtp+ssl://mail.example", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("locmem://", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        ("file:///var/mail/out", {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": "/var/mail/out"}),
    ],
)
def test_email_url_selects_the_backend(url, expected):
    settings = email_settings(EMAIL_URL=url, EMAIL_TIMEOUT="3")

    assert expected.items() <= settings.items()
    assert settings["EMAIL_TIMEOUT"] == 3


def test_senders_may_have_a_display_name():
    settings = email_settings(DEFAULT_FROM_EMAIL="Service <noreply@example.com>", SERVER_EMAIL="ops@example.com")

    assert (settings["DEFAULT_FROM_EMAIL"], settings["SERVER_EMAIL"]) == ("Service <noreply@example.com>", "ops@example.com")


def test_a_sender_that_is_not_an_address_is_a_problem():
    with pytest.raises(SettingsError) as caught:
        email_settings(DEFAULT_FROM_EMAIL="noreply", SERVER_EMAIL="ops@")

    message = str(caught.value)
    assert "DEFAULT_FROM_EMAIL='noreply' (from environment): not an email address" in message
    assert "SERVER_EMAIL='ops@' (from environment): not an email address" in message
