"""A signed-in session's two reads, by statements built once (framework.auth.lookup): the session, and its user.

- `SessionStore` (SESSION_ENGINE "framework.auth.sessions"): Django's database
  sessions, the same table and rows, the row read by a statement built once
  instead of a query the ORM builds and compiles on each request.
- `get_user(request)`: `django.contrib.auth.get_user`, for the framework's
  AuthenticationMiddleware. A session signed in by Django's `ModelBackend`
  (the default) has its user read the same way; any other backend is asked
  by Django's own code. The session's hash is checked as Django checks it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import lookup

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionStore(db.SessionStore):
    """Django's database sessions, the session's row read by a statement built once."""

    def _get_session_from_db(self) -> Any:
        try:
            found = lookup.one_by(
                self.model._default_manager, "session_key", self.session_key, later=("expire_date", timezone.now())
            )
        except SuspiciousOperation as error:  # as Django's store: logged, and no session
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = None
        if found is None:
            self._session_key = None
        return found


def get_user(request: HttpRequest) -> Any:
    """The user the request's session is signed in as, or AnonymousUser: what `django.contrib.auth.get_user` gives."""
    try:
        backend_path = request.session[BACKEND_SESSION_KEY]
        user_id = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
    except KeyError:
        return AnonymousUser()
    if backend_path != MODEL_BACKEND or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    model = get_user_model()
    user = lookup.one_by(model._default_manager, model._meta.pk.name, user_id)
    if user is None or not ModelBackend().user_can_authenticate(user):
        return AnonymousUser()
    if not hasattr(user, "get_session_auth_hash"):
        return user
    # Django's check of the session's hash, as django.contrib.auth.get_user makes it.
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return AnonymousUser()
