"""Tasks the task-queue tests run on a real worker."""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded

from framework.logging.request_id import get_request_id
from framework.tasks import task


@task
def current_request_id() -> str | None:
    return get_request_id()


@task
def flaky(counter_file: str, failures: int) -> int:
    """Fail with a connection error `failures` times, then return the number of attempts."""
    path = Path(counter_file)
    attempts = int(path.read_text() or 0) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    if attempts <= failures:
        raise ConnectionError(f"attempt {attempts}: the other side is not there yet")
    return attempts


@task
def fail(message: str) -> None:
    """Fail with an error no retry can mend."""
    raise ValueError(message)


@task
def slow(marker_file: str, seconds: float) -> str:
    """Write the running process's id to `marker_file`, one line per run, then take `seconds`."""
    with open(marker_file, "a") as marker:
        marker.write(f"{os.getpid()}\n")
    time.sleep(seconds)
    return "done"


@task(soft_time_limit=1, time_limit=2)
def overrun() -> str:
    """Ignore the soft time limit, so that only the hard one can stop it."""
    try:
        time.sleep(30)
    except SoftTimeLimitExceeded:
        time.sleep(30)
    return "not killed"


@task
def add_pages(book_id: int, pages: int) -> int:
    """Add `pages` to a book: a task that reads and writes the database."""
    from .models import Book

    book = Book.objects.get(pk=book_id)
    book.pages += pages
    book.save(update_fields=["pages"])
    return book.pages


# Declared with Django's @task (django.tasks on 6.x, the backport on 5.2), run by framework.tasks.backend.
from framework.tasks import api as django_tasks  # noqa: E402


@django_tasks.task()
def double(number: int) -> int:
    return number * 2


@django_tasks.task(takes_context=True)
def which_attempt(context: django_tasks.TaskContext, label: str) -> dict:
    return {"label": label, "attempt": context.attempt, "result_id": context.task_result.id}


@django_tasks.task()
def refuse(message: str) -> None:
    raise ValueError(message)


@django_tasks.task()
def flaky_standard(counter_file: str, failures: int) -> int:
    """Django's @task failing with a connection error `failures` times: the framework's retries apply."""
    path = Path(counter_file)
    attempts = int(path.read_text() or 0) + 1 if path.exists() else 1
    path.write_text(str(attempts))
    if attempts <= failures:
        raise ConnectionError(f"attempt {attempts}: the other side is not there yet")
    return attempts


@django_tasks.task()
def standard_request_id() -> str | None:
    return get_request_id()


@django_tasks.task()
async def async_double(number: int) -> int:
    return number * 2
