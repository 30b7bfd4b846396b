"""System checks of the task queue's configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

#: What framework 0.1 kept in its own TASKS setting, and the variable (FRAMEWORK key) each became.
OLD_TASKS_OPTIONS = {
    "MAX_RETRIES": "CELERY_TASK_MAX_RETRIES",
    "RETRY_BACKOFF_MAX": "CELERY_TASK_RETRY_BACKOFF_MAX",
    "ENQUEUE_TIMEOUT": "CELERY_ENQUEUE_TIMEOUT",
    "HEARTBEAT_FILE": "CELERY_WORKER_HEARTBEAT_FILE",
    "HEARTBEAT_INTERVAL": "CELERY_WORKER_HEARTBEAT_INTERVAL",
}

E003 = (
    "TASKS sets {key!r}, an option of framework 0.1; TASKS is now Django's setting of task backends, "
    "where it has no effect."
)
E003_HINT = "Remove it from TASKS and set the environment variable {new} instead (manage.py settings lists it)."


@register(Tags.compatibility)
def check_old_tasks_options(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.E003: the framework's old options in TASKS, which Django's Tasks API now owns."""
    tasks = getattr(settings, "TASKS", None)
    if not isinstance(tasks, dict):
        return []
    return [
        Error(E003.format(key=key), hint=E003_HINT.format(new=OLD_TASKS_OPTIONS[key]), id="framework.E003")
        for key in tasks
        if key in OLD_TASKS_OPTIONS
    ]


E001 = (
    "The task outbox's table (framework_tasks_outbox) is missing from the database: every task sent "
    "inside a transaction would fail the request."
)
E001_HINT = "Run: python manage.py migrate"
MIGRATION_COMMANDS = {"migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations"}


@register(Tags.compatibility)
def check_outbox_migrated(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[Error]:
    """framework.tasks.E001: the outbox is on, the database migrated, but not the outbox's table.

    Not while a migration command runs (`migrate` checks first): the table is what it makes.
    Django names no command being run but through the command line, which is read here.
    """
    import sys

    from framework.conf import framework_settings

    from . import outbox

    migrating = len(sys.argv) > 1 and sys.argv[1] in MIGRATION_COMMANDS
    if migrating or not framework_settings.CELERY_OUTBOX or not _database_exists():
        return []
    from django.db import connections

    connection = connections["default"]
    was_open = connection.connection is not None
    try:
        missing = outbox.table_missing()
    except Exception:  # noqa: BLE001 -- a database that cannot be asked is the readiness check's business
        return []
    finally:
        # A server checks in its master process, then forks workers: none may inherit this connection.
        if not was_open and not connection.in_atomic_block:
            connection.close()
    return [Error(E001, hint=E001_HINT, id="framework.tasks.E001")] if missing else []


def _database_exists() -> bool:
    """Whether asking the default database creates nothing: an SQLite file that is not there yet would be."""
    from pathlib import Path

    from django.db import connections

    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        return name.startswith("file:") or ":memory:" in name or Path(name).exists()
    return True


E002 = "CELERY_CLAIMS_STORE names {path!r}, which cannot be used: {error}."
E002_HINT = (
    "Set CELERY_CLAIMS_STORE to database, redis (with a Redis broker), or the import string of a "
    "framework.tasks.claims.ClaimStore subclass; unset, it picks redis with a Redis broker, else database."
)


@register(Tags.compatibility)
def check_claims_store(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """framework.tasks.E002: the store of run-once's claims does not import, or is Redis without a Redis broker."""
    from django.utils.module_loading import import_string

    from framework.conf import framework_settings
    from framework.conf.masking import mask_url

    from .claims import REDIS_SCHEMES, store_path
    from .claims.redis import NOT_A_REDIS_BROKER, RedisClaims

    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    path = store_path(framework_settings.CELERY_CLAIMS_STORE, broker)
    try:
        store = import_string(path)
    except ImportError as error:
        return [Error(E002.format(path=path, error=error), hint=E002_HINT, id="framework.tasks.E002")]
    if isinstance(store, type) and issubclass(store, RedisClaims) and broker.partition(":")[0] not in REDIS_SCHEMES:
        shown = "the embedded broker" if broker.startswith("filesystem:") else mask_url(broker)
        return [Error(NOT_A_REDIS_BROKER.format(broker=shown), id="framework.tasks.E002")]
    return []
