"""DatabaseSettings: the DATABASES entry the framework builds."""

from pathlib import Path

import pytest

from framework.conf.schema import Context
from framework.conf.schemas import DatabaseSettings


def database(**values: str) -> dict:
    settings = DatabaseSettings.model_validate(values)
    return settings.django_settings(Context(base_dir=Path("/srv/app"), loaded={}))["DATABASES"]["default"]


@pytest.mark.parametrize("values", [{}, {"URL": "sqlite:////tmp/app.sqlite3"}])
def test_sqlite_transactions_take_the_write_lock_when_they_begin(values):
    # Deferred transactions that read, then write, fail with "database is locked" under concurrent writes.
    assert database(**values)["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.parametrize("values", [{}, {"URL": "sqlite:////tmp/app.sqlite3"}])
def test_sqlite_readers_and_the_writer_do_not_wait_for_each_other_nor_each_commit_for_the_disk(values):
    assert database(**values)["OPTIONS"]["init_command"] == "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"


@pytest.mark.django_db
def test_a_sqlite_connection_is_in_wal_mode_with_normal_synchronous():
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        pytest.skip("the pragmas are SQLite's")
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        # 1 is NORMAL (2 is FULL, SQLite's default).
        assert cursor.fetchone()[0] == 1


def test_other_databases_get_no_sqlite_options():
    options = database(URL="postgres://app@db/app").get("OPTIONS", {})
    assert "transaction_mode" not in options and "init_command" not in options


@pytest.mark.parametrize("values", [{}, {"URL": "sqlite:////tmp/app.sqlite3"}])
def test_sqlite_writers_wait_longer_than_pythons_five_seconds_for_the_lock(values):
    # A worker storing a task's result behind a web process's writes lost it with the 5 s default.
    assert database(**values)["OPTIONS"]["timeout"] == 20


def test_a_timeout_in_the_sqlite_url_wins():
    assert database(URL="sqlite:////tmp/app.sqlite3?timeout=3")["OPTIONS"]["timeout"] == 3
