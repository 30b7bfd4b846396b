"""What changes notes: the one place their business rules live."""

from django.contrib.auth.models import AbstractBaseUser

from . import tasks
from .models import Note


def create_note(*, owner: AbstractBaseUser, title: str, body: str = "") -> Note:
    note = Note.objects.create(owner=owner, title=title, body=body)
    # Sent when the transaction commits: the worker never looks for a note that is not there yet.
    tasks.count_words.delay(note.pk)
    return note


def update_note(note: Note, **fields: str) -> Note:
    for name, value in fields.items():
        setattr(note, name, value)
    note.save(update_fields=[*fields, "updated_at"])
    if "body" in fields:
        tasks.count_words.delay(note.pk)
    return note


def count_words(note_id: int) -> None:
    """Store the number of words in the body of note `note_id`, if it still exists."""
    note = Note.objects.filter(pk=note_id).only("body").first()
    if note is not None:
        # update(), not save(): the count is not an edit, and must not touch updated_at.
        Note.objects.filter(pk=note_id).update(word_count=len(note.body.split()))


def delete_note(note: Note) -> None:
    note.delete()
