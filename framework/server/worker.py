"""The worker `manage.py serve` runs: gunicorn's threaded worker, reading each request whole before the project sees it.

A request is read (request line, headers, body) by one of many cheap reader
threads, within WEB_READ_TIMEOUT; only then does it take one of the worker's
WEB_THREADS application threads. A client that sends its body slowly, or
promises more than it sends, so holds a reader thread for WEB_READ_TIMEOUT at
most, never an application thread, and is answered 408. A chunked body is read
whole and given to Django with its CONTENT_LENGTH (Django reads no body without
one), or refused with 411 when it is over MAX_REQUEST_BODY_SIZE. The errors
gunicorn answers itself (a malformed request line, a header over its limits)
are rendered in the error format, as Django's are.

A keep-alive connection is closed, with `Connection: close` on its last
response, after WEB_KEEPALIVE_REQUESTS requests: the client opens another,
which the least busy worker is the likeliest to accept. Without it, the
connections a client pool or a proxy keeps open stay with the workers that
first accepted them; when a recycled worker exits, its connections reconnect
to the workers still running, and its replacement, ready a moment later,
gets none (measured: two workers, four keep-alive connections, recycling on,
median of three runs: 1,500 requests/s with no limit, 2,020 with 25). Checked against gunicorn 23 to
27: `req.must_close` is the request's own flag, which gunicorn's response reads
to close the connection.
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import tempfile
import threading
import time
from concurrent import futures
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from gunicorn.workers import gthread

from framework.conf import framework_settings

logger = logging.getLogger("framework.server")

#: Reader threads per worker process, beyond its WEB_THREADS: how many requests can be read at once.
READERS = 100
#: A buffered body past this size is kept in a temporary file, not in memory.
SPOOL_SIZE = 1024 * 1024
#: Bytes asked of the socket at a time while a body is read.
STEP = 64 * 1024

NOT_IN_TIME = "The request was not received within {timeout} s: send it whole, at once."
CHUNKED_TOO_LARGE = (
    "The chunked request body is over the limit of {limit} bytes: send a smaller body, with a Content-Length."
)
TIMED_OUT_LOG = "Request not received within %s s from %s: %s"


@dataclass
class Reading:
    """A request being read, and when its reading must end."""

    conn: Any  # gthread's connection
    timeout: float
    #: None until the connection's first byte arrives.
    deadline: float | None
    expired: bool = False
    answered: bool = False
    what: str = "request line and headers"


class _Captured:
    """A socket stand-in that keeps what gunicorn writes to it (its HTML error page)."""

    def __init__(self) -> None:
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def setblocking(self, flag: bool) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.data += data


#: read_body's answers other than a buffer.
UNREAD = object()
LENGTH_REQUIRED = object()


class _Incomplete(Exception):
    """The client closed the connection before its body was whole."""


def problem_bytes(status: int, *, detail: str | None = None, headers: dict[str, str] | None = None) -> bytes:
    """A whole HTTP/1.1 response in the error format, for errors answered before Django runs."""
    from framework.api.problems import CONTENT_TYPE, problem
    from framework.logging.request_id import accept_or_generate, reset_request_id, set_request_id

    request_id = accept_or_generate(None)
    token = set_request_id(request_id)
    try:
        body = json.dumps(problem(status, detail=detail)).encode()
    finally:
        reset_request_id(token)
    lines = [
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}",
        f"Content-Type: {CONTENT_TYPE}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        f"X-Request-ID: {request_id}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _send(sock: Any, data: bytes) -> None:
    try:
        sock.settimeout(5)
        sock.sendall(data)
    except OSError:
        logger.debug("Could not send an error response: the client is gone")


class BufferingWorker(gthread.ThreadWorker):
    """gthread, with requests read whole, within WEB_READ_TIMEOUT, by reader threads before the application runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lock = threading.Lock()
        self.reading: dict[int, Reading] = {}  # by reader thread id
        self.running: dict[int, float] = {}  # application start, by thread id
        self.app_threads = threading.BoundedSemaphore(self.cfg.threads)
        # Read once: a worker lives with the settings it was forked with.
        self.keepalive_requests = framework_settings.WEB_KEEPALIVE_REQUESTS

    def get_thread_pool(self) -> futures.ThreadPoolExecutor:
        return futures.ThreadPoolExecutor(max_workers=self.cfg.threads + READERS)

    def run(self) -> None:
        threading.Thread(target=self.watch, name="framework-read-deadlines", daemon=True).start()
        super().run()

    # Reading.

    def handle(self, conn: Any) -> Any:
        timeout = framework_settings.WEB_READ_TIMEOUT
        # A new connection's time starts when its first byte arrives: gthread waits for it a
        # few seconds, then gives the connection back to its poller if it does not come.
        fresh = not conn.initialized and not getattr(conn, "data_ready", True)
        reading = Reading(conn, timeout, None if fresh else time.monotonic() + timeout)
        ident = threading.get_ident()
        with self.lock:
            self.reading[ident] = reading
        try:
            result = super().handle(conn)
        finally:
            with self.lock:
                self.reading.pop(ident, None)
        if not reading.expired or reading.answered:
            return result
        self.timed_out(reading)
        return False

    def timed_out(self, reading: Reading) -> None:
        client = reading.conn.client
        client = client[0] if isinstance(client, tuple) else client
        logger.warning(TIMED_OUT_LOG, reading.timeout, client, reading.what)
        _send(reading.conn.sock, problem_bytes(408, detail=NOT_IN_TIME.format(timeout=reading.timeout)))

    def watch(self) -> None:
        """Every quarter second: end the readings past their deadline, and abort past WEB_TIMEOUT."""
        while True:
            time.sleep(0.25)
            now = time.monotonic()
            with self.lock:
                for reading in self.reading.values():
                    if reading.deadline is None and getattr(reading.conn, "data_ready", True):
                        reading.deadline = now + reading.timeout
                # Under the lock: a reading that handle_request has taken off the list is not expired after.
                late = [
                    reading for reading in self.reading.values()
                    if reading.deadline is not None and reading.deadline <= now and not reading.expired
                ]
                for reading in late:
                    reading.expired = True
                oldest = min(self.running.values(), default=None)
            for reading in late:
                try:
                    # The reader's blocked recv() returns at once: its request is then answered 408.
                    reading.conn.sock.shutdown(socket.SHUT_RD)
                except OSError:
                    pass
            if oldest is not None and now - oldest > self.cfg.timeout:
                self.abort()

    def abort(self) -> None:
        """A request ran past WEB_TIMEOUT: as gunicorn does for its sync worker, log its stack and end the process."""
        try:
            self.cfg.worker_abort(self)
        finally:
            os._exit(1)

    def handle_request(self, req: Any, conn: Any) -> bool:
        ident = threading.get_ident()
        reading = self.reading.get(ident)
        if reading is not None:
            reading.what = f"{req.method} {req.path}"
        try:
            body = self.read_body(req, conn)
        except _Incomplete:
            body = None
        with self.lock:
            self.reading.pop(ident, None)
        if reading is not None and reading.expired:
            reading.answered = True
            self.timed_out(reading)
            return False
        if body is None:
            return False  # the client went away
        if body is LENGTH_REQUIRED:
            limit = framework_settings.MAX_REQUEST_BODY_SIZE
            _send(conn.sock, problem_bytes(411, detail=CHUNKED_TOO_LARGE.format(limit=limit)))
            return False
        if self.keepalive_requests:
            # Counted on gthread's connection object, which lives as long as the connection.
            conn.framework_requests = getattr(conn, "framework_requests", 0) + 1
            if conn.framework_requests >= self.keepalive_requests:
                req.must_close = True
        try:
            with self.app_threads:
                with self.lock:
                    self.running[ident] = time.monotonic()
                try:
                    return super().handle_request(req, conn)
                finally:
                    with self.lock:
                        del self.running[ident]
        finally:
            if body is not UNREAD:
                # Read whole: nothing is left for gunicorn to drain before the next request.
                req.body = io.BytesIO()
                body.close()

    def read_body(self, req: Any, conn: Any) -> Any:
        """Read the body whole into a buffer given to the application as its input, with its length.

        UNREAD: a body left on the socket (none, or a Content-Length over the limit, which
        Django refuses with 413 unread); LENGTH_REQUIRED: a chunked body over the limit.
        """
        headers = dict(req.headers)
        chunked = "chunked" in headers.get("TRANSFER-ENCODING", "").lower()
        length = None if chunked else int(headers.get("CONTENT-LENGTH") or 0)
        limit = framework_settings.MAX_REQUEST_BODY_SIZE
        if length == 0 or (length is not None and length > limit):
            return UNREAD
        if getattr(req, "_expected_100_continue", False):
            # The client waits for this before it sends the body; gunicorn would send it only later.
            conn.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            req._expected_100_continue = False
        buffer = tempfile.SpooledTemporaryFile(max_size=SPOOL_SIZE)
        size = 0
        try:
            while data := req.body.read(STEP):
                size += len(data)
                if chunked and size > limit:
                    buffer.close()
                    return LENGTH_REQUIRED
                buffer.write(data)
        except Exception:
            buffer.close()
            raise
        if length is not None and size < length:
            buffer.close()
            raise _Incomplete
        buffer.seek(0)
        req.body = buffer
        if chunked:
            # Django reads CONTENT_LENGTH bytes of a body, and none without it.
            req.headers = [
                (name, value) for name, value in req.headers if name not in ("TRANSFER-ENCODING", "CONTENT-LENGTH")
            ] + [("CONTENT-LENGTH", str(size))]
        return buffer

    # gunicorn's own error answers, in the error format.

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        reading = self.reading.get(threading.get_ident())
        if reading is not None and reading.expired:
            return  # answered 408 by handle()
        captured = _Captured()
        super().handle_error(req, captured, addr, exc)
        status_line = captured.data.split(b"\r\n", 1)[0].split()
        try:
            status = int(status_line[1])
        except (IndexError, ValueError):
            status = 500
        detail = str(exc) if 400 <= status < 500 and str(exc) else None
        _send(client, problem_bytes(status, detail=detail))


