from rest_framework.permissions import AllowAny

from framework.api.viewsets import ModelViewSet
from notes.models import Note
from notes.serializers import NoteSerializer, NoteSummarySerializer


class PublicNoteViewSet(ModelViewSet):
    """Every note, to anyone: the template's notes viewset without the owner scope, open to all.

    The list shows the same fields as the notes list, so the authenticated and
    unauthenticated lists differ only by authentication and the owner filter.
    """

    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    serializer_classes = {"list": NoteSummarySerializer}
    permission_classes = [AllowAny]
