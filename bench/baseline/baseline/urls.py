from django.contrib import admin
from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from rest_framework import routers
from rest_framework_simplejwt.views import TokenObtainPairView

from notes.views import NoteViewSet, PublicNoteViewSet


def health(request):
    """A hand-written health check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


router = routers.DefaultRouter()
router.register("notes", NoteViewSet, basename="note")
router.register("public-notes", PublicNoteViewSet, basename="public-note")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/v1/auth/token/", TokenObtainPairView.as_view(), name="token_obtain_pair"),
    path("health/", health),
]
