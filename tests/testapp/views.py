"""Views for the framework's API tests: a viewset, and views that fail in each way an API can."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from framework.api.exceptions import APIError
from framework.api.viewsets import ModelViewSet

from .models import Book


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title", "pages"]


class ShelfSerializer(serializers.Serializer):
    name = serializers.CharField()
    books = BookSerializer(many=True)


class BookViewSet(ModelViewSet):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    filterset_fields = ["pages"]
    ordering_fields = ["title", "pages"]


class BookLocked(APIError):
    status_code = 409
    default_code = "book_locked"
    default_detail = "This book is locked."


FAILURES = {
    "http404": Http404("no such row in table secret_internal_table"),
    "permission": PermissionDenied("internal reason"),
    "suspicious": SuspiciousOperation("attempted access to /etc/passwd"),
    "domain": BookLocked(),
    "crash": RuntimeError("connection to postgres://admin:hunter2@db failed"),
    "database": OperationalError('connection to server at "db.internal", port 5432 failed: Connection refused'),
}


@api_view(["GET"])
@permission_classes([AllowAny])
def fail(request, kind):
    raise FAILURES[kind]


@api_view(["POST"])
@permission_classes([AllowAny])
def shelf(request):
    serializer = ShelfSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return HttpResponse(status=204)


@require_POST
def plain_post_only(request):
    return HttpResponse("ok")


def plain_crash(request):
    raise RuntimeError("secret internals of a plain view")


def plain_database_down(request):
    raise OperationalError('connection to server at "db.internal", port 5432 failed: Connection refused')
