"""What reads notes."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, QuerySet

from .models import Note


def owned_by(notes: QuerySet[Note], user: AbstractBaseUser) -> QuerySet[Note]:
    """The notes of `notes` that belong to `user`."""
    return notes.filter(owner=user)


def stats(notes: QuerySet[Note]) -> dict[str, int]:
    """How many notes there are, and how many users own them."""
    return notes.aggregate(notes=Count("id"), owners=Count("owner", distinct=True))
