from django.contrib import admin

from .models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["title", "body"]
    raw_id_fields = ["owner"]
