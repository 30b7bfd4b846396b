"""The per-request reads of authentication (framework/auth/lookup.py): the ORM's rows, from statements built once."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from framework.auth import lookup
from framework.auth.api_keys import create_api_key, revoke_api_key
from framework.auth.models import APIKey
from framework.auth.tokens import issue_tokens
from tests.api.test_fast_serialization import make_rows
from tests.testapp.models import Book, EveryField

from .conftest import WHOAMI, bearer

pytestmark = pytest.mark.django_db


def fields_of(instance):
    """Each concrete field's value and its type, as the instance holds them."""
    return {f.attname: (getattr(instance, f.attname), type(getattr(instance, f.attname))) for f in type(instance)._meta.concrete_fields}


def test_a_row_is_the_orms_row_for_every_field_type():
    rows = make_rows()

    for row in rows:
        found = lookup.one_by(EveryField.objects, "id", row.pk)
        assert fields_of(found) == fields_of(EveryField.objects.get(pk=row.pk))
        assert found._state.db == "default" and found._state.adding is False


def test_a_user_is_the_orms_user(alice):
    alice.last_login = timezone.now()
    alice.save()

    found = lookup.user_by("id", str(alice.pk))  # as a token carries it

    assert fields_of(found) == fields_of(get_user_model().objects.get(pk=alice.pk))


@pytest.mark.parametrize("value", [10**6, "not a number", None])
def test_no_user_is_none(alice, value):
    assert lookup.user_by("id", value) is None


def test_a_key_comes_with_its_owner_in_one_query(alice):
    created, key = create_api_key(alice, "ci")

    with CaptureQueriesContext(connection) as queries:
        found = lookup.api_key_by_prefix(created.prefix)
        owner = found.owner
    assert len(queries) == 1
    assert fields_of(found) == fields_of(APIKey.objects.get(pk=created.pk))
    assert fields_of(owner) == fields_of(alice)


def test_a_revoked_or_unknown_prefix_finds_nothing(alice):
    created, _key = create_api_key(alice, "ci")
    revoke_api_key(created)

    assert lookup.api_key_by_prefix(created.prefix) is None
    assert lookup.api_key_by_prefix("nosuchpx") is None


def test_an_expired_key_is_found_for_the_backend_to_refuse(alice):
    # Expiry is the backend's to judge (tests/auth/test_api_keys.py: an expired key is refused).
    created, _key = create_api_key(alice, "ci", expires_in=timedelta(seconds=-1))

    assert lookup.api_key_by_prefix(created.prefix).has_expired


def statements_of(client, *args, **headers):
    """The statements (SELECT, UPDATE...) one request runs; it must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(*args, **headers).status_code == 200
    # Read now: the next request empties the log.
    return [query["sql"].split()[0] for query in queries]


def test_last_use_is_written_by_one_update_at_most_once_a_minute(client, alice):
    created, key = create_api_key(alice, "ci")
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}

    first = statements_of(client, WHOAMI, **headers)
    second = statements_of(client, WHOAMI, **headers)
    APIKey.objects.filter(pk=created.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    a_minute_later = statements_of(client, WHOAMI, **headers)

    assert first == ["SELECT", "UPDATE"]
    assert second == ["SELECT"]
    assert a_minute_later == ["SELECT", "UPDATE"]
    created.refresh_from_db()
    assert timezone.now() - created.last_used_at < timedelta(seconds=30)


def test_last_use_another_process_wrote_within_the_minute_is_not_overwritten(alice):
    created, _key = create_api_key(alice, "ci")
    read = lookup.api_key_by_prefix(created.prefix)  # last_used_at None, as this process read it
    written = timezone.now() - timedelta(seconds=10)
    APIKey.objects.filter(pk=created.pk).update(last_used_at=written)  # another process, meanwhile

    lookup.record_api_key_use(read)

    created.refresh_from_db()
    assert created.last_used_at == written


def test_a_jwt_request_reads_the_user_once_and_a_deactivated_user_at_once(client, alice):
    access = issue_tokens(alice)["access"]

    statements = statements_of(client, WHOAMI, **bearer(access))
    alice.is_active = False
    alice.save()
    refused = client.get(WHOAMI, **bearer(access))

    assert statements == ["SELECT"]
    assert refused.status_code == 401 and refused.json()["code"] == "user_inactive"


class LongBooks(models.Manager):
    """A manager that hides rows: a lookup through it must not find them."""

    def get_queryset(self):
        return super().get_queryset().filter(pages__gt=1)


def test_a_manager_that_hides_rows_is_asked_through_the_orm():
    short, long = Book.objects.create(title="short", pages=1), Book.objects.create(title="long", pages=300)
    manager = LongBooks()
    manager.model = Book

    assert lookup.one_by(manager, "id", short.pk) is None
    assert lookup.one_by(manager, "id", long.pk) == long
    assert lookup.one_by(Book.objects, "id", short.pk) == short


def test_later_finds_a_row_only_when_its_field_is_greater(alice):
    joined = get_user_model().objects.get(pk=alice.pk).date_joined

    assert lookup.one_by(get_user_model().objects, "id", alice.pk, later=("date_joined", joined - timedelta(seconds=1)))
    assert lookup.one_by(get_user_model().objects, "id", alice.pk, later=("date_joined", joined)) is None


@pytest.mark.django_db(transaction=True)
def test_threads_with_their_own_connections_share_the_statements(alice):
    # gthread workers: one statement per process, each thread reading with its own connection.
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    lookup.user_by("id", alice.pk)  # built by this thread

    def read(_):
        try:
            return fields_of(lookup.user_by("id", alice.pk))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(read, range(8)))

    assert found == [fields_of(get_user_model().objects.get(pk=alice.pk))] * 8
