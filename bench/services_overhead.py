"""What the service client adds to a call: `framework.services` against a bare `httpx.Client`.

    .venv/bin/python bench/services_overhead.py

Both make the same GET to the same local server (keep-alive, loopback), in turns;
prints each one's median time per call and the difference, to compare with the
0.2 ms budget (docs/performance.md). Not a test: a measurement.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.test import override_settings  # noqa: E402

from framework.services import service  # noqa: E402

ROUNDS = 3000
BUDGET_MS = 0.2
BODY = json.dumps({"id": 1, "title": "a note"}).encode()
# One write for the whole answer: headers and body apart would meet the peer's delayed ACK (40 ms).
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a pool uses it

    def do_GET(self) -> None:  # noqa: N802
        self.wfile.write(ANSWER)

    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    bare_client = httpx.Client(base_url=url, timeout=httpx.Timeout(10, connect=2))
    bare, framework = [], []
    settings = {"SERVICES": {"bench": {"URL": url}}, "LOG_ACCESS": False}
    # The client's log line is part of its cost, but not the console's: no handler writes it.
    with override_settings(FRAMEWORK=settings, LOGGING_CONFIG=None):
        import logging

        logging.getLogger("framework.services").handlers = [logging.NullHandler()]
        logging.getLogger("framework.services").propagate = False
        client = service("bench")
        for _ in range(200):  # warm both pools up
            bare_client.get("/notes/1/").json()
            client.get("/notes/1/").json()
        for _ in range(ROUNDS):
            started = time.perf_counter()
            bare_client.get("/notes/1/").json()
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            client.get("/notes/1/").json()
            framework.append(time.perf_counter() - started)
    server.shutdown()
    bare_ms, framework_ms = statistics.median(bare) * 1000, statistics.median(framework) * 1000
    overhead = framework_ms - bare_ms
    print(f"bare httpx.Client:   {bare_ms:.3f} ms per call (p50)")
    print(f"framework.services:  {framework_ms:.3f} ms per call (p50)")
    print(f"overhead:            {overhead:.3f} ms (budget {BUDGET_MS} ms): {'within' if overhead <= BUDGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()
