"""The notes API, mounted at /api/v1/notes/."""

from framework.api.routers import router

from .views import NoteViewSet

router.register("notes", NoteViewSet, basename="note")
