"""EMAIL_URL and the senders, from the environment to Django's settings: MAILERS on Django 6.1, EMAIL_* on 5.2."""

import pytest

from framework.conf.compat import HAS_MAILERS
from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import BUILTIN_SCHEMAS, EmailSettings
from framework.conf.urls import mailer_config

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(**environ):
    loaded = load(BUILTIN_SCHEMAS, Environment(None, environ={"SECRET_KEY": "k", "DEBUG": "true", **environ}))
    return loaded[EmailSettings].django_settings(None)


@pytest.mark.skipif(not HAS_MAILERS, reason="MAILERS is Django 6.1's")
def test_on_django_6_1_email_is_the_default_mailer_and_no_deprecated_setting_is_set():
    from django.conf import DEPRECATED_EMAIL_SETTINGS

    settings = email_settings(EMAIL_URL="smtp+tls://me:secret@mail.example", EMAIL_TIMEOUT="3")

    assert settings["MAILERS"] == {"default": mailer_config("smtp+tls://me:secret@mail.example", timeout=3)}
    assert not DEPRECATED_EMAIL_SETTINGS & settings.keys()


@pytest.mark.skipif(HAS_MAILERS, reason="Django 5.2 has no MAILERS")
def test_on_django_5_2_email_is_the_email_settings():
    settings = email_settings()

    assert settings["EMAIL_BACKEND"] == CONSOLE
    assert settings["EMAIL_TIMEOUT"] == 10
    assert "MAILERS" not in settings


def test_the_senders_default_to_djangos():
    settings = email_settings()

    assert (settings["DEFAULT_FROM_EMAIL"], settings["SERVER_EMAIL"]) == ("webmaster@localhost", "root@localhost")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", {"BACKEND": CONSOLE, "OPTIONS": {}}),
        ("smtp://127.0.0.1:1025", {"BACKEND": SMTP, "OPTIONS": {
            "host": "127.0.0.1", "port": 1025, "username": "", "password": "", "use_tls": False, "use_ssl": False, "timeout": 3,
        }}),
        ("smtp+tls://me:p%40ss@mail.example", {"BACKEND": SMTP, "OPTIONS": {
            "host": "mail.example", "port": 587, "username": "me", "password": "p@ss", "use_tls": True, "use_ssl": False, "timeout": 3,
        }}),
        ("smtp+ssl://mail.example", {"BACKEND": SMTP, "OPTIONS": {
            "host": "mail.example", "port": 465, "username": "", "password": "", "use_tls": False, "use_ssl": True, "timeout": 3,
        }}),
        ("locmem://", {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}),
        ("file:///var/mail/out", {"BACKEND": "django.core.mail.backends.filebased.EmailBackend", "OPTIONS": {"file_path": "/var/mail/out"}}),
    ],
)
def test_email_url_selects_the_mailer_and_its_options(url, expected):
    # Only the SMTP backend takes a timeout: the others refuse options they do not know.
    assert mailer_config(url, timeout=3) == expected


def test_senders_may_have_a_display_name():
    settings = email_settings(DEFAULT_FROM_EMAIL="Service <noreply@example.com>", SERVER_EMAIL="ops@example.com")

    assert (settings["DEFAULT_FROM_EMAIL"], settings["SERVER_EMAIL"]) == ("Service <noreply@example.com>", "ops@example.com")


def test_a_sender_that_is_not_an_address_is_a_problem():
    with pytest.raises(SettingsError) as caught:
        email_settings(DEFAULT_FROM_EMAIL="noreply", SERVER_EMAIL="ops@")

    message = str(caught.value)
    assert "DEFAULT_FROM_EMAIL='noreply' (from environment): not an email address" in message
    assert "SERVER_EMAIL='ops@' (from environment): not an email address" in message
