import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from tests.api.conftest import assert_problem  # noqa: F401 -- shared with the auth tests

PASSWORD = "correct horse battery staple"
WHOAMI = "/api/test/whoami/"


@pytest.fixture(autouse=True)
def fresh_throttles():
    """Throttle counts live in the cache: each test starts with none.

    Only a local-memory cache (the tests' default) is cleared: clearing one on Redis
    would empty a shared database. Tests on Redis give their keys a prefix instead.
    """
    local = isinstance(caches["default"], LocMemCache)
    if local:
        cache.clear()
    yield
    if local:
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # Django's default hasher is slow on purpose; these tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password=PASSWORD)


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_user("bob", password=PASSWORD)


@pytest.fixture
def client():
    # Errors answered as a real server would, not re-raised into the test.
    return APIClient(raise_request_exception=False)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
