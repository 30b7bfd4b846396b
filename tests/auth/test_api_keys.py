"""API keys: stored as a fast hash, found by prefix, refused when revoked, expired, wrong or orphaned."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from framework.auth.api_keys import create_api_key, revoke_api_key
from framework.auth.models import APIKey

from .conftest import WHOAMI, assert_problem

pytestmark = pytest.mark.django_db


def api_key(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}


def assert_refused(response, code="authentication_failed"):
    assert_problem(response, 401, code)
    # Not the first backend's challenge, but still a challenge.
    assert response["WWW-Authenticate"]


def test_only_a_sha512_hash_of_the_key_is_stored(alice):
    obj, key = create_api_key(alice, "ci")

    prefix, _, secret = key.partition(".")
    assert obj.prefix == prefix and len(secret) >= 32
    assert obj.hashed_key == "sha512$$" + hashlib.sha512(key.encode()).hexdigest()
    stored = APIKey.objects.filter(pk=obj.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())


@pytest.mark.parametrize(
    "headers",
    [lambda key: {"HTTP_AUTHORIZATION": f"Api-Key {key}"}, lambda key: {"HTTP_X_API_KEY": key}],
    ids=["authorization", "x-api-key"],
)
def test_a_key_authenticates_as_its_owner(client, alice, headers):
    obj, key = create_api_key(alice, "ci")

    response = client.get(WHOAMI, **headers(key))

    assert response.status_code == 200, response.content
    assert response.json() == {"username": "alice", "backend": "APIKeyAuthentication", "api_key": obj.prefix}


def test_the_keyword_is_case_insensitive(client, alice):
    _obj, key = create_api_key(alice, "ci")

    assert client.get(WHOAMI, HTTP_AUTHORIZATION=f"api-key {key}").status_code == 200


def test_last_use_is_recorded(client, alice):
    obj, key = create_api_key(alice, "ci")
    assert obj.last_used_at is None

    client.get(WHOAMI, **api_key(key))

    obj.refresh_from_db()
    assert timezone.now() - obj.last_used_at < timedelta(minutes=1)


def test_a_key_costs_one_query_and_no_password_hasher(client, alice, django_assert_num_queries, monkeypatch):
    _obj, key = create_api_key(alice, "ci")
    client.get(WHOAMI, **api_key(key))  # records the first use

    def no_password_hashing(*args, **kwargs):
        raise AssertionError("a password hasher ran on the request path")

    monkeypatch.setattr("django.contrib.auth.hashers.check_password", no_password_hashing)
    monkeypatch.setattr("django.contrib.auth.hashers.PBKDF2PasswordHasher.verify", no_password_hashing)
    with django_assert_num_queries(1):  # the key with its owner
        assert client.get(WHOAMI, **api_key(key)).status_code == 200


def test_a_revoked_key_is_refused(client, alice):
    obj, key = create_api_key(alice, "ci")

    revoke_api_key(obj)

    assert_refused(client.get(WHOAMI, **api_key(key)))
    assert_refused(client.get(WHOAMI, HTTP_X_API_KEY=key))


def test_a_revoked_key_cannot_be_revived(alice):
    obj, _key = create_api_key(alice, "ci")
    revoke_api_key(obj)

    obj = APIKey.objects.get(pk=obj.pk)
    obj.revoked = False
    with pytest.raises(Exception, match="revoked"):
        obj.save()


def test_an_expired_key_is_refused(client, alice):
    _obj, key = create_api_key(alice, "ci", expires_at=timezone.now() - timedelta(seconds=1))

    assert_refused(client.get(WHOAMI, **api_key(key)))


def test_a_key_not_yet_expired_works(client, alice):
    _obj, key = create_api_key(alice, "ci", expires_in=timedelta(days=1))

    assert client.get(WHOAMI, **api_key(key)).status_code == 200


def test_a_valid_prefix_with_a_wrong_secret_is_refused(client, alice):
    _obj, key = create_api_key(alice, "ci")
    prefix, _, secret = key.partition(".")
    wrong = prefix + "." + secret[:-1] + ("x" if secret[-1] != "x" else "y")

    assert_refused(client.get(WHOAMI, **api_key(wrong)))
    assert_refused(client.get(WHOAMI, **api_key(prefix + ".")))
    assert_refused(client.get(WHOAMI, **api_key(prefix)))


def test_another_keys_secret_with_this_prefix_is_refused(client, alice, bob):
    alice_key, _ = create_api_key(alice, "ci")
    _bob_key, bob_secret = create_api_key(bob, "ci")

    mixed = alice_key.prefix + "." + bob_secret.partition(".")[2]

    assert_refused(client.get(WHOAMI, **api_key(mixed)))


@pytest.mark.parametrize("key", ["nosuchpr.abcdefghijklmnopqrstuvwxyz012345", "x", "..", "' OR 1=1 --"])
def test_an_unknown_key_is_refused(client, alice, key):
    assert_refused(client.get(WHOAMI, HTTP_X_API_KEY=key))


@pytest.mark.parametrize("header", ["Api-Key", "Api-Key ", "Api-Key a b"])
def test_a_malformed_api_key_header_is_refused(client, header):
    assert_refused(client.get(WHOAMI, HTTP_AUTHORIZATION=header), code="bad_authorization_header")


def test_a_key_of_an_inactive_owner_is_refused(client, alice):
    _obj, key = create_api_key(alice, "ci")
    alice.is_active = False
    alice.save()

    assert_refused(client.get(WHOAMI, **api_key(key)), code="user_inactive")


def test_a_key_hashed_with_a_password_hasher_is_refused(client, alice):
    # Old versions of djangorestframework-api-key stored such hashes; checking them would be slow on purpose.
    obj, key = create_api_key(alice, "ci")
    APIKey.objects.filter(pk=obj.pk).update(hashed_key=make_password(key))

    assert_refused(client.get(WHOAMI, **api_key(key)))
