"""The word count of a note: computed by a task, sent when the note's transaction commits."""

import pytest
from django.db import transaction

from notes.services import create_note, update_note
from notes.tasks import count_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user("alice")


def test_count_words_stores_the_number_of_words(alice):
    note = create_note(owner=alice, title="t", body="buy milk\nand  bread")

    count_words(note.pk)

    note.refresh_from_db()
    assert note.word_count == 4


def test_count_words_of_a_deleted_note_does_nothing(alice):
    note = create_note(owner=alice, title="t", body="gone")
    note.delete()

    count_words(note.pk)  # a task may run after its note is gone: not an error


def test_saving_a_note_counts_its_words(alice, tasks_eager):
    note = create_note(owner=alice, title="t", body="one two three")

    note.refresh_from_db()
    assert note.word_count == 3


def test_nothing_is_sent_before_the_commit(alice, tasks_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            note = create_note(owner=alice, title="t", body="one two three")
            note.refresh_from_db()
            assert note.word_count == 0  # the worker would not find the note yet

    note.refresh_from_db()
    assert note.word_count == 3


def test_editing_the_body_counts_again(alice, tasks_eager):
    note = create_note(owner=alice, title="t", body="one")

    update_note(note, body="one two")

    note.refresh_from_db()
    assert note.word_count == 2


def test_a_worker_process_counts_the_words(alice, task_worker):
    note = create_note(owner=alice, title="t", body="counted by a real worker")

    count_words.delay(note.pk).get(timeout=20)

    note.refresh_from_db()
    assert note.word_count == 5
