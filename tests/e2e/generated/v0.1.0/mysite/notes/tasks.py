"""The background tasks of notes: thin wrappers that call services."""

from framework.tasks import task

from . import services


@task
def count_words(note_id: int) -> None:
    """Count the words of note `note_id`.

    A task takes ids, not model instances (its arguments travel as JSON), and
    may run late or more than once, so it reads the note as it is then.
    """
    services.count_words(note_id)
