from django.conf import settings
from django.db import models


class Note(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The template's index, so that the benchmark compares the framework's cost, not the schema's.
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="notes_note_owner_newest")]

    def __str__(self):
        return self.title
