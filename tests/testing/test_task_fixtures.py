"""framework.testing's task fixtures: tasks run inline, or by a real worker process on the test database."""

from __future__ import annotations

import pytest
from django.db import transaction

from framework.tasks import ping
from tests.testapp.models import Book
from tests.testapp.tasks import add_pages

pytestmark = pytest.mark.django_db


def test_tasks_eager_runs_a_task_in_the_test_process(tasks_eager):
    result = ping.delay()

    assert result.get(timeout=1) == "pong"


def test_tasks_eager_runs_a_task_sent_outside_a_transaction_of_the_code_at_once(tasks_eager):
    book = Book.objects.create(title="t", pages=1)

    assert add_pages.delay(book.pk, 2).get() == 3  # the test's own transaction does not hold it back


def test_tasks_eager_still_waits_for_the_codes_transaction_to_commit(tasks_eager, django_capture_on_commit_callbacks):
    book = Book.objects.create(title="t", pages=1)

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            add_pages.delay(book.pk, 2)
            book.refresh_from_db()
            assert book.pages == 1  # not yet: the transaction has not committed

    book.refresh_from_db()
    assert book.pages == 3


def test_tasks_eager_sends_nothing_when_the_transaction_rolls_back(tasks_eager, django_capture_on_commit_callbacks):
    book = Book.objects.create(title="t", pages=1)

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            add_pages.delay(book.pk, 2)
            raise RuntimeError("rolled back")

    book.refresh_from_db()
    assert book.pages == 1


def test_task_worker_runs_tasks_in_another_process_on_the_test_database(task_worker):
    book = Book.objects.create(title="t", pages=1)

    add_pages.delay(book.pk, 41).get(timeout=20)

    book.refresh_from_db()
    assert book.pages == 42
    assert "tests.testapp.tasks.add_pages" in task_worker.output()  # it ran in the worker, not here
