"""A public notes list, so that the unauthenticated scenarios compare the same thing in both projects."""

from framework.api.routers import router

from .views import PublicNoteViewSet

router.register("public-notes", PublicNoteViewSet, basename="public-note")
