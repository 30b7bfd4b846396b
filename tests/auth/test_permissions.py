"""Roles, rights, model permissions and ownership: each lets in who it should, and no one else."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from rest_framework.test import APIRequestFactory

from framework.auth.models import Right
from framework.auth.permissions import HasRight, HasRole, IsOwner
from framework.auth.rights import grant_right, has_right, revoke_right

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

RIGHT_VIEW = "/api/test/rights/books-delete/"
EDITORS = "/api/test/roles/editors/"
PUBLISHERS = "/api/test/roles/publishers/"
MODEL_PERMISSIONS = "/api/test/model-permissions/books/"


def join(user, *groups):
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])


def test_without_the_right_is_403_permission_denied(client, alice):
    client.force_authenticate(alice)

    body = assert_problem(client.get(RIGHT_VIEW), 403, "permission_denied")
    assert body["detail"] == "You do not have the right this requires."


def test_with_the_right_is_200(client, alice):
    grant_right(alice, "books", "delete")
    client.force_authenticate(alice)

    assert client.get(RIGHT_VIEW).status_code == 200


def test_anonymous_on_a_rights_view_is_401(client):
    assert_problem(client.get(RIGHT_VIEW), 401, "not_authenticated")


def test_user_a_never_receives_user_bs_rights(client, alice, bob):
    grant_right(bob, "books", "delete")
    grant_right(alice, "books", "read")

    assert has_right(bob, "books", "delete")
    assert not has_right(alice, "books", "delete")
    client.force_authenticate(alice)
    assert_problem(client.get(RIGHT_VIEW), 403, "permission_denied")


def test_a_right_is_one_resource_and_one_operation(alice):
    grant_right(alice, "books", "delete")

    assert has_right(alice, "books", "delete")
    assert not has_right(alice, "books", "read")
    assert not has_right(alice, "notes", "delete")


def test_rights_can_be_revoked_and_granted_twice(alice):
    grant_right(alice, "books", "delete")
    grant_right(alice, "books", "delete")
    assert Right.objects.filter(user=alice).count() == 1

    revoke_right(alice, "books", "delete")

    assert not has_right(alice, "books", "delete")


def test_rights_are_ignored_for_anonymous_and_inactive_users(alice):
    grant_right(alice, "books", "delete")
    alice.is_active = False

    assert not has_right(alice, "books", "delete")
    assert not has_right(AnonymousUser(), "books", "delete")


def test_a_role_is_a_group(client, alice, bob):
    join(alice, "editor")
    join(bob, "viewer")

    client.force_authenticate(alice)
    assert client.get(EDITORS).status_code == 200
    client.force_authenticate(bob)
    assert_problem(client.get(EDITORS), 403, "permission_denied")


def test_any_listed_role_is_enough(client, alice):
    join(alice, "admin")
    client.force_authenticate(alice)

    assert client.get(EDITORS).status_code == 200


def test_a_superuser_still_needs_the_role(client, db):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x")
    client.force_authenticate(root)

    assert_problem(client.get(EDITORS), 403, "permission_denied")


@pytest.mark.parametrize(
    ("groups", "rights", "status"),
    [
        ((), (), 403),
        (("editor",), (), 200),
        ((), (("books", "publish"),), 200),
        (("editor", "banned"), (), 403),
        (("banned",), (("books", "publish"),), 403),
    ],
)
def test_permissions_compose_with_and_or_not(client, alice, groups, rights, status):
    join(alice, *groups)
    for resource, operation in rights:
        grant_right(alice, resource, operation)
    client.force_authenticate(alice)

    assert client.get(PUBLISHERS).status_code == status


def test_factories_return_the_same_class_for_the_same_arguments():
    assert HasRole("editor") is HasRole("editor")
    assert HasRight("books", "delete") is HasRight("books", "delete")
    assert HasRight("books", "delete") is not HasRight("books", "read")
    assert HasRole("editor").__name__ == "HasRole('editor')"


@pytest.mark.parametrize("call", [lambda: HasRole(), lambda: HasRight("books", "")])
def test_factories_refuse_missing_names(call):
    with pytest.raises(TypeError, match="needs"):
        call()


def test_django_model_permissions(client, alice):
    client.force_authenticate(alice)
    assert_problem(client.post(MODEL_PERMISSIONS, {"title": "t", "pages": 1}, format="json"), 403, "permission_denied")

    alice.user_permissions.add(Permission.objects.get(codename="add_book"))
    client.force_authenticate(type(alice).objects.get(pk=alice.pk))  # Django caches permissions per instance

    assert client.post(MODEL_PERMISSIONS, {"title": "t", "pages": 1}, format="json").status_code == 201


def test_is_owner(alice, bob):
    request = APIRequestFactory().get("/")
    request.user = alice
    view = SimpleNamespace()

    assert IsOwner().has_object_permission(request, view, SimpleNamespace(owner_id=alice.pk))
    assert not IsOwner().has_object_permission(request, view, SimpleNamespace(owner_id=bob.pk))
    assert not IsOwner().has_object_permission(request, view, SimpleNamespace(owner_id=None))
    assert not IsOwner().has_object_permission(request, view, SimpleNamespace())


def test_is_owner_reads_the_views_owner_field(alice, bob):
    request = APIRequestFactory().get("/")
    request.user = alice
    view = SimpleNamespace(owner_field="author")

    assert IsOwner().has_object_permission(request, view, SimpleNamespace(author=alice, owner_id=bob.pk))
    assert not IsOwner().has_object_permission(request, view, SimpleNamespace(author=bob, owner_id=alice.pk))


def test_is_owner_refuses_anonymous():
    request = APIRequestFactory().get("/")
    request.user = AnonymousUser()

    assert not IsOwner().has_permission(request, None)
