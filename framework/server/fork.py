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

The master also builds, once, what each worker's first request would otherwise
import or build (`warm_up`), and a worker that ends normally (recycled, or
stopped) skips Python's teardown (`exit_worker`): both would otherwise be paid
by every worker that recycling starts.

Checked against Django 5.2 and 6.1, redis-py 5 to 8, Celery and kombu 5.5 to 5.7:
Django's Redis cache has no public way to drop its connection pools
(`cache.close()` keeps them, by design, for the next request), nor Celery's
Redis result backend its client, and kombu's pool, once emptied, must be
filled again (`setup()`, which its constructor calls): `_close_redis_pools` and
`_close_broker_connections` reach them, the one place that does.
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import sys
from importlib import import_module
from typing import Any

logger = logging.getLogger("framework.server")


def before_fork(server: Any = None, worker: Any = None) -> None:
    """gunicorn's pre_fork hook, in the master: nothing it holds open is inherited, its memory is shared."""
    close_connections()
    # The objects the master made (the project's modules, settings, URLs) move to a generation the
    # collector never visits: a worker's collections do not write to their pages (which would copy
    # them, page by page, into each worker), and a recycled worker exits without walking them all.
    gc.freeze()


def warm_up() -> None:
    """In the master, once the project is loaded: import what a worker's first request would import.

    Done in each worker, it was paid again by every replacement of a recycled one (~40 ms of a
    first request, most of it prometheus-client); done here, it is shared by all of them.
    """
    from django.conf import settings
    from django.template import TemplateDoesNotExist, engines
    from django.urls import get_resolver
    from django.utils.module_loading import import_string
    from rest_framework.settings import api_settings

    # The request metrics' client: `serve` set its multiprocess folder before loading the project.
    import_module("prometheus_client")
    for name in api_settings.import_strings:
        getattr(api_settings, name)  # DRF imports its classes (authentication, renderers...) on first access
    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])  # imported, not connected: each worker connects on first use
    import_module(settings.SESSION_ENGINE)
    import_string(settings.SESSION_SERIALIZER)
    if "django.contrib.messages" in settings.INSTALLED_APPS:
        import_string(settings.MESSAGE_STORAGE)
    resolver = get_resolver()
    for status in (400, 403, 404, 500):
        resolver.resolve_error_handler(status)  # the error views, Django's or the project's
    for engine in engines.all():  # the template engines, with their tag libraries
        for name in ("404.html", "500.html"):
            try:
                engine.get_template(name)  # what Django's error views look up first: the loaders built
            except TemplateDoesNotExist:
                pass
    "".encode("unicode_escape")  # the codec django.request's log lines escape their arguments with


def exit_worker(server: Any = None, worker: Any = None) -> None:
    """gunicorn's worker_exit hook: a worker that ends normally (recycled, or stopped) ends at once.

    Python's own shutdown frees every object one by one, so it writes to nearly every page of memory
    the worker still shares with the master, each copied first: about 18,000 page faults and tens of
    milliseconds of CPU per recycled worker, with a replacement started only once it is over. The
    exit functions still run (logging's and the span exporter's flush, the project's own), and the
    connections are closed; only the teardown of the objects is skipped, as uWSGI's
    skip-atexit-teardown does. No public API runs the exit functions without the teardown:
    `atexit._run_exitfuncs` does, checked with CPython 3.11 to 3.13. A worker that failed (to boot,
    say) is left to exit the usual way, with the exit status gunicorn reads.
    """
    ending = sys.exc_info()[1]  # the SystemExit that gunicorn's worker process ends with
    if not isinstance(ending, SystemExit) or ending.code not in (0, None):
        return
    close_connections()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # closed, or its reader gone: nothing more can be written anyway
    os._exit(0)


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
