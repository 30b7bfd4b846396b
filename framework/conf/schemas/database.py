"""Database settings: DATABASE_URL and the connection's reuse, as Django's DATABASES."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..schema import Context, Schema, setting
from ..types import DatabaseURL, Seconds
from ..urls import database_config


#: The driver modules of each engine, any one of which will do, and the extra that installs one.
DRIVERS = {"django.db.backends.postgresql": (("psycopg", "psycopg2"), "postgres")}
#: Seconds an SQLite writer waits for the write lock (sqlite3's `timeout`; Python's default is 5).
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL"
SQLITE_LOCK_TIMEOUT = 20
SQLITE_FOLDER_MISSING = (
    "names the SQLite file {path}, but its folder {folder} does not exist, so the first query would fail; "
    "create the folder, or name a file in a folder that exists (sqlite:////abs/path/db.sqlite3)"
)
DRIVER_MISSING = "is a {engine} database, but its driver is not installed; install it with: pip install 'framework[{extra}]'"


def missing_driver(engine: str) -> str | None:
    """The extra to install for `engine`'s driver, when none of its modules can be imported."""
    modules, extra = DRIVERS.get(engine, ((), ""))
    if modules and all(importlib.util.find_spec(module) is None for module in modules):
        return extra
    return None


def missing_sqlite_folder(database: Mapping[str, Any]) -> Path | None:
    """The folder of `database`'s SQLite file (a DATABASES entry), when it does not exist."""
    name = str(database.get("NAME") or "")
    if not str(database.get("ENGINE", "")).endswith("sqlite3") or name in ("", ":memory:") or name.startswith("file:"):
        return None
    folder = Path(name).parent
    return None if folder.is_dir() else folder


class DatabaseSettings(Schema, env_prefix="DATABASE_"):
    title = "Database"
    problems_rely_on = {"URL"}

    URL: DatabaseURL = setting(
        None,
        "postgres://user:password@host:5432/name, mysql://..., or sqlite:///path. "
        "Default: the SQLite file db.sqlite3 in the project directory.",
    )
    CONN_MAX_AGE: Seconds = setting(
        60,
        "Seconds a connection is kept open for the next request (0: a new connection "
        "for every request). Reuse saves a connect on each request.",
    )
    CONN_HEALTH_CHECKS: bool = setting(
        True, "Check a reused connection before using it, so a dropped one is replaced, not failed."
    )

    def problems(self) -> Iterator[tuple[str, str]]:
        # Here, at settings time, not as a system check: without its driver Django fails while it
        # loads the apps, with a long traceback, before any check can run, on every command.
        if self.URL:
            engine = database_config(self.URL)["ENGINE"]
            if (extra := missing_driver(engine)) is not None:
                yield "URL", DRIVER_MISSING.format(engine="PostgreSQL", extra=extra)

    def django_settings(self, context: Context) -> dict[str, Any]:
        options = {"conn_max_age": self.CONN_MAX_AGE, "conn_health_checks": self.CONN_HEALTH_CHECKS}
        if self.URL:
            database = database_config(self.URL, **options)
        else:
            database = {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": context.base_dir / "db.sqlite3",
                "CONN_MAX_AGE": self.CONN_MAX_AGE,
                "CONN_HEALTH_CHECKS": self.CONN_HEALTH_CHECKS,
            }
        if database["ENGINE"].endswith("sqlite3"):
            # A transaction takes SQLite's write lock when it begins, waiting for it, rather than
            # failing with "database is locked" when two requests that read, then write, meet
            # (API writes run in a transaction; bench/'s create scenario showed it).
            options = database.setdefault("OPTIONS", {})
            options.setdefault("transaction_mode", "IMMEDIATE")
            # Readers and the writer do not wait for each other (SQLite's default journal makes a
            # commit wait for every reader): one worker's reads go on while another's write commits.
            # In WAL mode, synchronous=NORMAL syncs the log at checkpoints, not at each commit: a
            # commit survives a killed process, and may be lost only to a power cut or an OS crash,
            # without corrupting the file (SQLite's documentation of the pragma). Each commit's fsync
            # was most of the cost of a task's run-once claim and of an API write (bench/).
            options.setdefault("init_command", SQLITE_INIT_COMMAND)
            # How long a writer waits for the write lock before "database is locked". Python's 5 s
            # default was too short on a loaded 2-core machine: a worker storing a task's result
            # behind a web process's writes lost the result. Django's docs give the same remedy.
            options.setdefault("timeout", SQLITE_LOCK_TIMEOUT)
        return {"DATABASES": {"default": database}}
