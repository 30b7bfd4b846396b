"""The framework's pytest plugin, registered through the `pytest11` entry point.

A generated project gets these fixtures with no conftest: clients signed in with
each authentication backend, users with roles and rights, tasks run inline or by
a real worker, a real SMTP server, and fakes of the services the code calls. Everything Django-related is imported
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


@pytest.fixture
def fake_service() -> Iterator[Callable[..., Any]]:
    """Factory: fake_service("billing", **settings) -> a FakeService answering the calls to "billing".

    No network is opened: declare routes and answers (`.get("/invoices/", json=[...])`,
    `status=`, `problem=`, `delay=`, `error="connect"`), then assert on `.calls`.
    `settings` override the service's own for the test (read_timeout=0.1, retry_backoff=0);
    a service the settings do not declare is declared for the test, at http://<name>.test.
    A call to a route not declared fails the test.
    """
    from .services import fake_services

    yield from fake_services()


@pytest.fixture
def tasks_eager(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tasks run inline, in the test's process, when they are sent (errors propagate to the test).

    The transaction the test itself runs in (the `db` fixture's) counts as
    committed: a task the code sends outside a transaction of its own runs at
    once. One sent inside the code's own transaction still waits for it to
    commit: wrap it in `django_capture_on_commit_callbacks(execute=True)`.
    """
    from framework.tasks import Task, get_app

    from .transactions import in_code_transaction

    conf = get_app().conf
    monkeypatch.setattr(Task, "waits_for_commit", lambda task, using: in_code_transaction(using))
    saved = conf.task_always_eager, conf.task_eager_propagates, conf.task_store_eager_result
    # Results are kept, as a worker's are: Django's TaskResult.refresh() and get_result() read them back.
    conf.task_always_eager = conf.task_eager_propagates = conf.task_store_eager_result = True
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_eager_propagates, conf.task_store_eager_result = saved


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A worker process cannot see an in-memory SQLite test database: when a
    # test of this run uses task_worker, the test database is a file instead.
    if any("task_worker" in getattr(item, "fixturenames", ()) for item in items):
        from .worker import use_database_files

        use_database_files(config)


@pytest.fixture(scope="session")
def _task_worker_process(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from .worker import TaskWorker

    worker = TaskWorker(tmp_path_factory.mktemp("task_worker"))
    # Starting waits for a ping, whose result may be read from the database.
    with django_db_blocker.unblock():
        worker.__enter__()
    try:
        yield worker
    finally:
        worker.__exit__(None, None, None)


@pytest.fixture
def task_worker(transactional_db: None, _task_worker_process: Any) -> Any:
    """A real worker process (`manage.py runworker`) on the test database, started once per session.

    Tasks the test sends go to a queue of this run's own, on the configured broker
    (the embedded one, or Redis), and this worker runs them. The test's writes are
    committed (transactional_db), so that the worker sees them.
    """
    return _task_worker_process


#: The password hasher of tests: Django's fastest, as Django's testing docs advise. The
#: project's own hashers follow it, so that hashes they made still check.
TEST_PASSWORD_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher() -> Iterator[None]:
    # Django's default hasher is slow on purpose (about a third of a second per user made);
    # a test needing the project's hasher sets PASSWORD_HASHERS with the `settings` fixture.
    from django.conf import settings

    if not settings.configured:
        yield
        return
    from django.core.signals import setting_changed

    # Set on the settings themselves, not through override_settings, whose holder hides
    # SETTINGS_MODULE (which the task_worker fixture passes on to its process).
    def use(hashers: list[str], *, enter: bool) -> None:
        settings.PASSWORD_HASHERS = hashers
        # Django caches the hashers it loads; this signal, as override_settings sends it, resets them.
        setting_changed.send(sender=type(settings), setting="PASSWORD_HASHERS", value=hashers, enter=enter)

    saved = list(settings.PASSWORD_HASHERS)
    use([TEST_PASSWORD_HASHER, *(name for name in saved if name != TEST_PASSWORD_HASHER)], enter=True)
    try:
        yield
    finally:
        use(saved, enter=False)


@pytest.fixture(autouse=True)
def _fresh_local_caches() -> None:
    # Cached answers and throttle counts from an earlier test must not leak into
    # this one (ids are reused after a rollback). Only process-local caches are
    # cleared: clearing a Redis cache would empty a whole shared database.
    from django.conf import settings

    if not settings.configured:
        return
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()
    # Readiness keeps its results for a second: a test's own state must be checked anew.
    import sys

    if (health := sys.modules.get("framework.health.runner")) is not None:
        health.forget()
