"""`createapikey` and `revokeapikey`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from framework.auth.models import APIKey

from .conftest import WHOAMI

pytestmark = pytest.mark.django_db


def create(*args):
    out, err = StringIO(), StringIO()
    call_command("createapikey", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_createapikey_prints_the_key_once_and_stores_its_hash(client, alice):
    key, note = create("--user", "alice", "--name", "ci")

    obj = APIKey.objects.get()
    assert key.startswith(obj.prefix + ".") and key not in obj.hashed_key
    assert (obj.owner, obj.name, obj.expiry_date) == (alice, "ci", None)
    assert "not shown again" in note and key not in note
    assert client.get(WHOAMI, HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


def test_createapikey_expires(alice):
    create("--user", "alice", "--name", "ci", "--expires", "30")

    days = (APIKey.objects.get().expiry_date - timezone.now()).days
    assert days in (29, 30)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody", "--name", "ci"], "--user: no user named 'nobody'"),
        (["--user", "alice", "--name", "ci", "--expires", "soon"], "--expires: 'soon' is not a number of days"),
        (["--user", "alice", "--name", "ci", "--expires", "0"], "--expires: '0' is not a number of days"),
        (["--user", "alice", "--name", "x" * 51], "--name: must be 1 to 50 characters"),
    ],
)
def test_createapikey_refuses_bad_arguments(alice, args, message):
    with pytest.raises(CommandError, match=message):
        create(*args)
    assert not APIKey.objects.exists()


@pytest.mark.parametrize("by", ["prefix", "key"])
def test_revokeapikey(client, alice, by):
    key, _ = create("--user", "alice", "--name", "ci")
    out = StringIO()

    call_command("revokeapikey", key.partition(".")[0] if by == "prefix" else key, stdout=out)

    assert "Revoked API key" in out.getvalue()
    assert APIKey.objects.get().revoked
    assert client.get(WHOAMI, HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 401


def test_revokeapikey_names_an_unknown_prefix(db):
    with pytest.raises(CommandError, match="no API key with the prefix 'nope'"):
        call_command("revokeapikey", "nope")
