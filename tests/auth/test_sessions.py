"""A signed-in session's reads (framework/auth/sessions.py): Django's sessions and users, by statements built once."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from framework.auth.sessions import SessionStore, get_user

from .conftest import PASSWORD, WHOAMI

pytestmark = pytest.mark.django_db


class OtherBackend(ModelBackend):
    """A backend of a project's own: its sessions' users are read by Django's code, and this get_user."""

    def get_user(self, user_id):
        user = super().get_user(user_id)
        if user is not None:
            user.read_by_other_backend = True
        return user


def signed_in(user, backend="django.contrib.auth.backends.ModelBackend", session_hash=None):
    """A request whose session is signed in as `user`, as `django.contrib.auth.login` leaves it."""
    store = SessionStore()
    store.update({
        SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: backend,
        HASH_SESSION_KEY: session_hash or user.get_session_auth_hash(),
    })
    store.create()
    request = RequestFactory().get(WHOAMI)
    request.session = SessionStore(store.session_key)
    return request


def test_the_sessions_are_djangos_database_sessions_read_by_this_store():
    assert settings.SESSION_ENGINE == "framework.auth.sessions"
    store = SessionStore()
    store["colour"] = "blue"
    store.create()

    assert SessionStore(store.session_key)["colour"] == "blue"
    assert Session.objects.get(session_key=store.session_key).get_decoded() == {"colour": "blue"}


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    store = SessionStore()
    store["colour"] = "blue"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))

    for key in (store.session_key, "no-such-session-key-0123456789ab"):
        found = SessionStore(key)
        assert found.load() == {} and found.session_key is None


def test_a_signed_in_request_reads_the_session_and_the_user_once_each(alice):
    browser = Client()
    browser.force_login(alice)

    with CaptureQueriesContext(connection) as queries:
        assert browser.get(WHOAMI).json()["username"] == "alice"
    statements = [query["sql"] for query in queries]

    assert len(statements) == 2
    assert "django_session" in statements[0] and "auth_user" in statements[1]


def test_the_user_is_djangos_user(alice):
    assert get_user(signed_in(alice)) == alice


def test_an_inactive_users_session_is_anonymous(alice):
    alice.is_active = False
    alice.save()

    assert isinstance(get_user(signed_in(alice)), AnonymousUser)


def test_a_session_from_before_a_password_change_is_flushed(alice):
    request = signed_in(alice)
    alice.set_password("another passphrase")
    alice.save()

    assert isinstance(get_user(request), AnonymousUser)
    assert SESSION_KEY not in request.session


def test_a_session_hashed_with_a_fallback_secret_stays_signed_in_with_a_new_key(alice, settings):
    old_hash = alice.get_session_auth_hash()
    request = signed_in(alice, session_hash=old_hash)
    key = request.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key, long and random enough: 7f3a9c1e5b2d8f4a6c0e"

    assert get_user(request) == alice
    assert request.session.session_key != key
    assert request.session[HASH_SESSION_KEY] == alice.get_session_auth_hash() != old_hash


def test_a_session_of_another_backend_is_read_by_djangos_code(alice, settings):
    other = f"{__name__}.OtherBackend"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, other]

    user = get_user(signed_in(alice, backend=other))

    assert user == alice and user.read_by_other_backend


def test_a_session_of_a_backend_no_longer_listed_is_anonymous(alice):
    assert isinstance(get_user(signed_in(alice, backend=f"{__name__}.OtherBackend")), AnonymousUser)


def test_a_password_sign_in_then_reads_as_that_user(alice):
    browser = Client()
    assert browser.login(username="alice", password=PASSWORD)

    assert browser.get(WHOAMI).json() == {"username": "alice", "backend": "SessionAuthentication", "api_key": None}
