"""gunicorn, configured from the server settings, serving the project's WSGI application."""

from __future__ import annotations

import copy
import logging
import os
import sys
import traceback
from typing import Any

from django.conf import settings
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from framework.conf import framework_settings
from framework.logging.context import in_flight
from framework.observability import multiprocess
from framework.server import fork

logger = logging.getLogger("framework.server")

TIMED_OUT = "Request timed out after %s s and its worker was killed: %s %s"


def cpu_count() -> int:
    """The cores this process may run on (a container's limit), not all the machine's."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def options() -> dict[str, Any]:
    """gunicorn's settings, from the server settings (HOST, PORT, WEB_*) and LOGGING."""
    host, port = framework_settings.HOST, framework_settings.PORT
    threads = framework_settings.WEB_THREADS
    return {
        "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
        "workers": framework_settings.WEB_CONCURRENCY or 2 * cpu_count() + 1,
        "threads": threads,
        # gthread's, reading each request whole before one of the `threads` runs it (framework.server.worker).
        "worker_class": "framework.server.worker.BufferingWorker",
        "timeout": framework_settings.WEB_TIMEOUT,
        "graceful_timeout": framework_settings.WEB_GRACEFUL_TIMEOUT,
        "keepalive": framework_settings.WEB_KEEPALIVE,
        "max_requests": framework_settings.WEB_MAX_REQUESTS,
        "max_requests_jitter": framework_settings.WEB_MAX_REQUESTS_JITTER,
        # The access log is AccessLogMiddleware's (it knows the user and the request id); gunicorn's
        # own lines go through LOGGING, in the same format.
        "accesslog": None,
        "logger_class": "framework.server.gunicorn.ServerLog",
        "errorlog": "-",
        "logconfig_dict": copy.deepcopy(settings.LOGGING),
        "proc_name": framework_settings.SERVICE_NAME or settings.ROOT_URLCONF.partition(".")[0],
        # The workers' heartbeat files: in memory when the machine has it (containers' disks can be slow).
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
        "worker_abort": worker_abort,
        # The project loaded once, in the master: a worker, a recycled one's replacement too, is a fork
        # of it, ready at once and sharing its memory; what the master opened is closed before each fork.
        "preload_app": True,
        "pre_fork": fork.before_fork,
        "post_fork": post_fork,
        "worker_exit": fork.exit_worker,
        # gunicorn 24+'s control socket sits at one path per user: two services on a host would share it.
        "control_socket_disable": True,
        # The metrics folder `serve` made: a dead worker's in-flight requests leave the gauge; the folder goes at exit.
        **multiprocess.gunicorn_hooks(),
    }


class ServerLog(Logger):
    """gunicorn's logger, without gunicorn's access log.

    With a logging configuration given (`logconfig_dict`), gunicorn builds its access line's fields
    for each response even when nothing writes them: 6% of a worker's time on a short request. The
    access line is AccessLogMiddleware's, one per response.
    """

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        pass


def post_fork(server: Any, worker: Any) -> None:
    """gunicorn's hook in a new worker: what may not cross a fork (tracing's export thread) starts here."""
    from framework.observability import tracing

    tracing.start_in_this_process()


def worker_abort(worker: Any) -> None:
    """gunicorn's hook in a worker killed for a request past WEB_TIMEOUT: log the stack of each request."""
    frames = sys._current_frames()
    for thread_id, request in list(in_flight.items()):
        frame = frames.get(thread_id)
        stack = "".join(traceback.format_stack(frame)) if frame is not None else ""
        logger.error(
            TIMED_OUT,
            framework_settings.WEB_TIMEOUT,
            request.method,
            request.path,
            extra={"request_id": request.request_id, "stack": stack, "method": request.method, "path": request.path},
        )


class Server(BaseApplication):
    """gunicorn's application, with its configuration given, not read from the command line."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.config.items():
            # A setting this gunicorn version does not have is left out.
            if value is not None and name in self.cfg.settings:
                self.cfg.set(name, value)

    def load(self) -> Any:
        """The project's WSGI application with its URLs imported: in the master (preload_app), once for all workers."""
        from django.core.servers.basehttp import get_internal_wsgi_application
        from django.urls import get_resolver

        application = get_internal_wsgi_application()
        # The URLconf imports the views, serializers and DRF: done here, not in each worker's first request.
        get_resolver().url_patterns  # noqa: B018 -- imported on access
        fork.warm_up()
        return application
