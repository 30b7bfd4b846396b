from django.db import transaction
from rest_framework import permissions, viewsets

from .models import Note
from .tasks import count_words
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
        note = serializer.save(owner=self.request.user)
        # As the template's notes do: its words counted by a task, sent once the note is committed
        # (Celery's documented way with Django's transactions).
        transaction.on_commit(lambda: count_words.delay(note.pk))


class PublicNoteViewSet(viewsets.ModelViewSet):
    """Every note, to anyone."""

    queryset = Note.objects.all()
    permission_classes = [permissions.AllowAny]

    def get_serializer_class(self):
        if self.action == "list":
            return NoteSummarySerializer
        return NoteSerializer
