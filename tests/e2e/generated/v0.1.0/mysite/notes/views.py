from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from framework.api.viewsets import ModelViewSet
from framework.auth.permissions import HasRight, HasRole, IsOwner
from framework.cache import CacheResponsesMixin

from . import selectors, services
from .models import Note
from .serializers import NoteSerializer, NoteStatsSerializer, NoteSummarySerializer


class NoteViewSet(CacheResponsesMixin, ModelViewSet):
    """The requesting user's notes. Another user's note answers 404, so its existence does not leak."""

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    serializer_classes = {"list": NoteSummarySerializer, "stats": NoteStatsSerializer}
    # The scoped queryset hides other users' notes; IsOwner refuses them should a query ever let one through.
    permission_classes = [IsOwner]
    filterset_fields = ["title"]
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "updated_at", "title"]

    def scope_queryset(self, queryset):
        return selectors.owned_by(queryset, self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.create_note(owner=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_note(serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_note(instance)

    # Members of the "auditor" group (a role), or users granted the right
    # ("notes", "audit"), see counts across all users, never the notes themselves.
    @action(
        detail=False,
        filter_backends=[],
        pagination_class=None,
        permission_classes=[HasRole("auditor") | HasRight("notes", "audit")],
    )
    def stats(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.stats(Note.objects.all())).data)
