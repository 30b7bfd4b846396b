"""A worker's metrics endpoint: its task metrics, summed over its pool's processes, on WORKER_METRICS_PORT.

`runworker` makes the processes' metrics folder before the pool forks
(framework.observability.multiprocess); this bootstep serves it from the
worker's main process, with the access rules of `/metrics`, at any path.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from celery import bootsteps

from framework.conf import framework_settings
from framework.tasks.forks import no_fork

from . import multiprocess

logger = logging.getLogger("framework.observability")

CANNOT_LISTEN = "The worker's metrics cannot be served on %s:%s (%s); the worker runs without them."


def metrics_port(given: int | None = None) -> int | None:
    """The port of `runworker --metrics-port`, else WORKER_METRICS_PORT; None: no metrics endpoint."""
    return given or framework_settings.WORKER_METRICS_PORT


class _Quiet(WSGIRequestHandler):
    """No line on stderr per scrape."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the name of the method overridden
        pass


def application() -> Callable[..., Iterable[bytes]]:
    """The endpoint's WSGI application: prometheus-client's, behind the access rules of `/metrics`."""
    from django.db import connections
    from prometheus_client.exposition import make_wsgi_app

    from framework.api.problems import CONTENT_TYPE, problem

    from .access import refusal
    from .exposition import Scrape, scrape_collectors

    class Collectors:
        # prometheus-client's application reads it at each scrape: the files as they are then.
        def collect(self) -> Any:
            yield from Scrape(scrape_collectors()).collect()

    metrics = make_wsgi_app(Collectors())  # type: ignore[arg-type]

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reason = refusal(environ.get("REMOTE_ADDR"), environ.get("HTTP_AUTHORIZATION"))
        if reason is not None:
            body = json.dumps(problem(403, detail=reason)).encode()
            start_response("403 Forbidden", [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(body)))])
            return [body]
        # The outbox backlog is a query: not while the pool forks (see framework.tasks.forks).
        with no_fork():
            try:
                return list(metrics(environ, start_response))
            finally:
                # Each scrape has a thread of its own: its connection to the database goes with it.
                connections.close_all()

    return app


class MetricsServer(bootsteps.StartStopStep):
    """A worker bootstep serving the worker's metrics when it has a port (`metrics_port`, else WORKER_METRICS_PORT)."""

    # After the pool: its processes, forked when it starts, do not inherit the listening socket.
    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, metrics_port: int | None = None, **kwargs: Any) -> None:
        self.given_port = metrics_port
        self.server: Any = None

    def start(self, worker: Any) -> None:
        port = metrics_port(self.given_port)
        if port is None or multiprocess.folder() is None:
            return
        host = framework_settings.HOST
        server_class = _server_class(socket.AF_INET6 if ":" in host else socket.AF_INET)
        try:
            self.server = make_server(host, port, application(), server_class=server_class, handler_class=_Quiet)
        except OSError as error:
            logger.error(CANNOT_LISTEN, host, port, error)
            return
        threading.Thread(target=self.server.serve_forever, name="WorkerMetrics", daemon=True).start()
        logger.info(
            "Worker metrics on http://%s:%s/metrics", host, port,
            extra={"metrics_port": port, "metrics_folder": str(multiprocess.folder())},
        )

    def stop(self, worker: Any) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        multiprocess.stop()

    terminate = stop


def _server_class(family: socket.AddressFamily) -> type:
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIServer

    class Server(ThreadingMixIn, WSGIServer):
        address_family = family
        daemon_threads = True

    return Server
