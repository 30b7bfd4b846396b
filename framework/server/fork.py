"""Workers forked from a loaded master: what the master opened is closed before each fork.

`manage.py serve` loads the project once, in gunicorn's master (`preload_app`),
and each worker, the first ones and those that replace a recycled worker
(WEB_MAX_REQUESTS), is a fork of it: it starts with everything imported, and
shares the master's memory until it writes to it. A fork also inherits every
open socket: a database connection, a Redis or broker connection opened in the
master (by a system check, or by project code run at import) would be one
server session used by several processes at once, their replies mixed up. The
master serves no request, so before each fork it closes them all; each worker
opens its own on first use.

Checked against Django 5.2 and 6.1, redis-py 5 to 8, Celery and kombu 5.5 to 5.7:
Django's Redis cache has no public way to drop its connection pools
(`cache.close()` keeps them, by design, for the next request), nor Celery's
Redis result backend its client, and kombu's pool, once emptied, must be
filled again (`setup()`, which its constructor calls): `_close_redis_pools` and
`_close_broker_connections` reach them, the one place that does.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

logger = logging.getLogger("framework.server")


def before_fork(server: Any = None, worker: Any = None) -> None:
    """gunicorn's pre_fork hook, in the master: nothing it holds open is inherited, its memory is shared."""
    close_connections()
    # The objects the master made (the project's modules, settings, URLs) move to a generation the
    # collector never visits: a worker's collections do not write to their pages (which would copy
    # them, page by page, into each worker), and a recycled worker exits without walking them all.
    gc.freeze()


def close_connections() -> None:
    """Close the database, cache, broker and service connections this process has open."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    for cache in caches.all(initialized_only=True):
        cache.close()
        _close_redis_pools(cache)
    _close_broker_connections()
    from framework.services.registry import registry

    registry.reset()


def _close_redis_pools(cache: Any) -> None:
    client = cache.__dict__.get("_cache")  # Django's RedisCacheClient, made on first use
    for pool in getattr(client, "_pools", {}).values():
        pool.disconnect()


def _close_broker_connections() -> None:
    from framework.tasks.app import created_apps

    for app in created_apps():
        # The pool of broker connections the app publishes through (none open until a task is sent):
        # closed, then filled again with connections not yet opened, which a worker opens on first use.
        # Idle producers hold no connection.
        app.pool.force_close_all(close_pool=False)
        app.pool.setup()
        # The Redis result backend's client, when it has made one.
        client = vars(app.backend).get("client")
        pool = getattr(client, "connection_pool", None)
        if pool is not None:
            pool.disconnect()
