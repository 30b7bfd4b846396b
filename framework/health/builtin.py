"""The built-in readiness checks: each database, each cache, the task broker, migrations applied, critical services."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from framework.conf import framework_settings

from .registry import Check

CACHE_MISMATCH = "the cache did not return the value just stored in it"
UNAPPLIED = "{count} migration(s) not applied, e.g. {example}; run: python manage.py migrate"
OUTBOX_BEHIND = (
    "{count} task(s) wait in the outbox, the oldest due {age:.0f} s ago (over {limit} s): "
    "is a worker (its relay) running, and the broker reachable?"
)
NOT_WRITABLE = "the embedded broker's folder {folder} is not writable by this process"


def _suffixed(kind: str, alias: str, default: str) -> str:
    return kind if alias == default else f"{kind}.{alias}"


def database(alias: str) -> Check:
    def check_database() -> None:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    return Check(_suffixed("database", alias, DEFAULT_DB_ALIAS), check_database)


def cache(alias: str) -> Check:
    def check_cache() -> list[checks.CheckMessage]:
        backend = caches[alias]
        key, value = f"framework:health:{uuid.uuid4().hex}", uuid.uuid4().hex
        backend.set(key, value, timeout=10)
        found = backend.get(key)
        backend.delete(key)
        return [] if found == value else [checks.Error(CACHE_MISMATCH)]

    return Check(_suffixed("cache", alias, "default"), check_cache)


def broker(timeout: float) -> Check:
    def check_broker() -> list[checks.CheckMessage]:
        url = settings.CELERY_BROKER_URL
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
        if url.startswith("filesystem://"):
            # The embedded broker is a folder: nothing to connect to, but it must take new messages.
            folders = {options.get("data_folder_in"), options.get("data_folder_out")} - {None}
            return [checks.Error(NOT_WRITABLE.format(folder=folder)) for folder in sorted(folders) if not _writable(Path(folder))]
        from kombu import Connection

        with Connection(url, transport_options=options, connect_timeout=timeout) as connection:
            # One attempt, no retries: a health check reports, it does not wait for the broker.
            connection.ensure_connection(max_retries=0, timeout=timeout)
        return []

    return Check("broker", check_broker)


def _writable(folder: Path) -> bool:
    """The folder is writable, or can be made by the first message (its nearest existing parent is writable)."""
    while not folder.exists():
        if folder.parent == folder:
            return False
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)


def migrations() -> Check:
    def check_migrations() -> list[checks.CheckMessage]:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if not plan:
            return []
        migration, _ = plan[0]
        return [checks.Error(UNAPPLIED.format(count=len(plan), example=f"{migration.app_label}.{migration.name}"))]

    return Check("migrations", check_migrations)


def outbox() -> Check:
    def check_outbox() -> list[checks.CheckMessage]:
        from framework.tasks import outbox

        count, age = outbox.backlog()
        limit = framework_settings.CELERY_OUTBOX_WARN_AGE
        if age is None or age <= limit:
            return []
        return [checks.Warning(OUTBOX_BEHIND.format(count=count, age=age, limit=limit))]

    return Check("outbox", check_outbox)


def builtin_checks() -> list[Check]:
    """The checks every service has, from its settings."""
    found = [database(alias) for alias in settings.DATABASES]
    found += [cache(alias) for alias in settings.CACHES]
    if getattr(settings, "CELERY_BROKER_URL", None):
        found.append(broker(framework_settings.HEALTH_CHECK_TIMEOUT))
    if framework_settings.CELERY_OUTBOX:
        found.append(outbox())
    found.append(migrations())
    from framework.services.health import service_checks

    found += service_checks()
    return found
