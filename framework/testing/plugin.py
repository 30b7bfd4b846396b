"""The framework's pytest plugin, registered through the `pytest11` entry point.

A generated project gets these fixtures with no conftest: clients signed in with
each authentication backend, users with roles and rights, tasks run inline or by
a real worker, and a real SMTP server. Everything Django-related is imported
inside the fixtures, so the plugin costs nothing in a run that does not use them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .smtp import SMTPServer


@pytest.fixture
def api_client() -> Any:
    """An anonymous DRF APIClient."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def make_user(db: None, django_user_model: Any) -> Callable[..., Any]:
    """Factory: make_user("alice", roles=["editor"], rights=[("notes", "read")], **fields) -> a saved user."""
    counter = iter(range(1, 1_000_000))

    def make_user(
        username: str | None = None,
        *,
        password: str = "password",
        roles: tuple[str, ...] | list[str] = (),
        rights: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
        **fields: Any,
    ) -> Any:
        from django.contrib.auth.models import Group

        user = django_user_model.objects.create_user(
            username or f"user{next(counter)}", password=password, **fields
        )
        for role in roles:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        if rights:
            from framework.auth.rights import grant_right

            for resource, operation in rights:
                grant_right(user, resource, operation)
        return user

    return make_user


@pytest.fixture
def user(make_user: Callable[..., Any]) -> Any:
    """A saved, active user without roles or rights (password: "password")."""
    return make_user("user")


@pytest.fixture
def client_for(db: None) -> Callable[..., Any]:
    """Factory: client_for(user, auth="session"|"jwt"|"api_key") -> an APIClient signed in as `user`."""
    from rest_framework.test import APIClient

    def client_for(user: Any, auth: str = "session") -> Any:
        client = APIClient()
        if auth == "session":
            client.force_login(user)
        elif auth == "jwt":
            from framework.auth.tokens import issue_tokens

            client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(user)['access']}")
        elif auth == "api_key":
            from framework.auth.api_keys import create_api_key

            _, key = create_api_key(user, name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        else:
            raise ValueError(f"unknown auth {auth!r}; expected session, jwt or api_key")
        client.user = user
        return client

    return client_for


@pytest.fixture
def session_client(client_for: Callable[..., Any], user: Any) -> Any:
    """An APIClient signed in as `user` with a session cookie (session authentication)."""
    return client_for(user, "session")


@pytest.fixture
def jwt_client(client_for: Callable[..., Any], user: Any) -> Any:
    """An APIClient sending a JWT access token for `user` (Authorization: Bearer)."""
    return client_for(user, "jwt")


@pytest.fixture
def api_key_client(client_for: Callable[..., Any], user: Any) -> Any:
    """An APIClient sending a new API key of `user` (Authorization: Api-Key)."""
    return client_for(user, "api_key")


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A real SMTP server on a free local port; `.url` for EMAIL_URL, `.wait_for(n)` for its messages."""
    server = SMTPServer().start()
    try:
        yield server
    finally:
        server.stop()
