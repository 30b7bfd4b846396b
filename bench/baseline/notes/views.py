from rest_framework import permissions, viewsets

from .models import Note
from .serializers import NoteSerializer, NoteSummarySerializer


class NoteViewSet(viewsets.ModelViewSet):
    """The requesting user's notes."""

    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return Note.objects.filter(owner=self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return NoteSummarySerializer
        return NoteSerializer

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class PublicNoteViewSet(viewsets.ModelViewSet):
    """Every note, to anyone."""

    queryset = Note.objects.all()
    permission_classes = [permissions.AllowAny]

    def get_serializer_class(self):
        if self.action == "list":
            return NoteSummarySerializer
        return NoteSerializer
