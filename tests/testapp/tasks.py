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
