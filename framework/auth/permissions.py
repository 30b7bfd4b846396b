"""Permission classes: roles (Django groups), rights, ownership; composable with `&`, `|` and `~`.

    permission_classes = [HasRole("editor") | HasRight("notes", "publish")]

`HasRole(...)` and `HasRight(...)` return permission classes, as DRF's
`permission_classes` and its operators expect. Django's model permissions
are DRF's `DjangoModelPermissions`, re-exported here.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import (  # noqa: F401 -- re-exported, so one import has them all
    AllowAny,
    BasePermission,
    DjangoModelPermissions,
    DjangoObjectPermissions,
    IsAdminUser,
    IsAuthenticated,
    IsAuthenticatedOrReadOnly,
)
from rest_framework.request import Request

from .rights import has_right


def _signed_in(request: Request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class RolePermission(BasePermission):
    """Allows users in at least one of `roles` (Django groups). Made by `HasRole(...)`."""

    roles: frozenset[str] = frozenset()
    message = _("You do not have a role this requires.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return _signed_in(request) and request.user.groups.filter(name__in=self.roles).exists()


class RightPermission(BasePermission):
    """Allows users holding the right (`resource`, `operation`). Made by `HasRight(...)`."""

    resource: str = ""
    operation: str = ""
    message = _("You do not have the right this requires.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return _signed_in(request) and has_right(request.user, self.resource, self.operation)


@functools.cache
def HasRole(*roles: str) -> type[RolePermission]:  # noqa: N802 -- used where a class is
    """A permission class allowing members of any of the groups named `roles`."""
    if not roles:
        raise TypeError("HasRole() needs at least one role (group) name")
    name = f"HasRole({', '.join(map(repr, roles))})"
    return type(RolePermission)(name, (RolePermission,), {"roles": frozenset(roles), "__module__": __name__})


@functools.cache
def HasRight(resource: str, operation: str) -> type[RightPermission]:  # noqa: N802 -- used where a class is
    """A permission class allowing users granted `operation` on `resource` (see `framework.auth.rights`)."""
    if not resource or not operation:
        raise TypeError("HasRight() needs a resource and an operation, e.g. HasRight('notes', 'delete')")
    name = f"HasRight({resource!r}, {operation!r})"
    attributes = {"resource": resource, "operation": operation, "__module__": __name__}
    return type(RightPermission)(name, (RightPermission,), attributes)


class IsOwner(BasePermission):
    """Allows signed-in users, and on an object only its owner.

    The owner is the object's `owner` field, or the one the view names in
    `owner_field`. Pair it with a queryset scoped to the user's rows, so
    that another user's object answers 404 before this is asked.
    """

    message = _("You are not the owner of this object.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return _signed_in(request)

    def has_object_permission(self, request: Request, view: Any, obj: Model) -> bool:
        field = getattr(view, "owner_field", "owner")
        owner_id = getattr(obj, f"{field}_id", None)
        if owner_id is None:
            owner_id = getattr(getattr(obj, field, None), "pk", None)
        return owner_id is not None and owner_id == request.user.pk
