"""Views for the framework's API tests: a viewset, views that fail in each way an API can, and auth examples."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_POST
from rest_framework import generics, serializers
from rest_framework.decorators import action, api_view, authentication_classes, permission_classes
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from framework.api.exceptions import APIError
from framework.api.viewsets import ModelViewSet, ReadOnlyModelViewSet
from framework.auth.backends.basic import BasicAuthentication
from framework.auth.models import APIKey
from framework.auth.permissions import DjangoModelPermissions, HasRight, HasRole, IsAuthenticated
from framework.cache import CacheResponsesMixin, cache_response

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
    "throttled": Throttled(wait=30),
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


def plain_whoami(request):
    """A plain Django view that reads the session's user."""
    return HttpResponse(request.user.get_username(), content_type="text/plain")


@require_POST
def plain_post_only(request):
    return HttpResponse("ok")


def plain_crash(request):
    raise RuntimeError("secret internals of a plain view")


class ShelfBookViewSet(CacheResponsesMixin, ModelViewSet):
    """Cached books, each reader seeing only the books whose title starts with their name."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer

    def scope_queryset(self, queryset):
        return queryset.filter(title__startswith=f"{self.request.user.username}:")

    @action(detail=False)
    @cache_response(timeout=60)
    def count(self, request):
        return Response({"count": self.get_queryset().count()})


class CatalogViewSet(CacheResponsesMixin, ReadOnlyModelViewSet):
    """Cached books, the same for every reader."""

    queryset = Book.objects.all()
    serializer_class = BookSerializer
    cache_public = True


def plain_database_down(request):
    raise OperationalError('connection to server at "db.internal", port 5432 failed: Connection refused')


# Views for the auth tests: one per permission, and one that reports who is calling.


@api_view(["GET", "POST"])
def whoami(request):
    backend = type(request.successful_authenticator).__name__ if request.successful_authenticator else None
    key = request.auth.prefix if isinstance(request.auth, APIKey) else None
    return Response({"username": request.user.username, "backend": backend, "api_key": key})


@api_view(["GET"])
@permission_classes([HasRight("books", "delete")])
def books_delete_right(request):
    return Response({"ok": True})


@api_view(["GET"])
@permission_classes([HasRole("editor", "admin")])
def editors_only(request):
    return Response({"ok": True})


@api_view(["GET"])
@permission_classes([IsAuthenticated & (HasRole("editor") | HasRight("books", "publish")) & ~HasRole("banned")])
def publishers(request):
    return Response({"ok": True})


@api_view(["GET"])
@authentication_classes([BasicAuthentication])
def basic_only(request):
    return Response({"username": request.user.username})


class ModelPermissionBooks(generics.ListCreateAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    permission_classes = [DjangoModelPermissions]


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def remote_notes(request):
    """Answers with the "notes" service's list: its errors, unhandled, are the framework's to answer."""
    from framework.services import service

    return Response(service("notes").get("/notes/").json())


def plain_remote_notes(request):
    """A plain Django view calling "notes": its errors reach ProblemMiddleware."""
    from framework.services import service

    return HttpResponse(service("notes").get("/notes/").content, content_type="application/json")
