from rest_framework import serializers

from .models import Note


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class NoteSummarySerializer(serializers.ModelSerializer):
    """A note in a list: without its body."""

    class Meta:
        model = Note
        fields = ["id", "title", "created_at", "updated_at"]
        read_only_fields = fields


class NoteStatsSerializer(serializers.Serializer):
    notes = serializers.IntegerField(help_text="Notes of all users.")
    owners = serializers.IntegerField(help_text="Users with at least one note.")
