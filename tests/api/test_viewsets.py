"""The framework's viewsets: a write's transaction, from the action's start to its end."""

import pytest
from django.db import connection

from tests.api.conftest import assert_problem
from tests.testapp.models import Book
from tests.testapp.views import BookViewSet

BOOKS = "/api/v1/books/"


@pytest.mark.django_db(transaction=True)
def test_a_write_s_transaction_begins_after_authentication_and_permissions(api, monkeypatch):
    seen = {}
    check_permissions, perform_create = BookViewSet.check_permissions, BookViewSet.perform_create

    def checking(self, request):
        seen["permissions"] = connection.in_atomic_block
        check_permissions(self, request)

    def creating(self, serializer):
        seen["create"] = connection.in_atomic_block
        perform_create(self, serializer)

    monkeypatch.setattr(BookViewSet, "check_permissions", checking)
    monkeypatch.setattr(BookViewSet, "perform_create", creating)

    response = api.post(BOOKS, {"title": "Dune", "pages": 412}, format="json")

    assert response.status_code == 201, response.content
    assert seen == {"permissions": False, "create": True}
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_a_refused_write_opens_no_transaction_and_writes_nothing(anonymous):
    response = anonymous.post(BOOKS, {"title": "Dune", "pages": 412}, content_type="application/json")

    assert_problem(response, 401, "not_authenticated")
    assert not Book.objects.exists()
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_an_invalid_write_is_rolled_back_outside_any_test_transaction(api, monkeypatch):
    def save_then_refuse(self, serializer):
        serializer.save()
        serializer.fields["title"].fail("blank")

    monkeypatch.setattr(BookViewSet, "perform_create", save_then_refuse)

    response = api.post(BOOKS, {"title": "half", "pages": 1}, format="json")

    assert_problem(response, 400, "validation_error")
    assert not Book.objects.exists()
