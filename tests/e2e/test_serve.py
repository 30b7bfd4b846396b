"""`manage.py serve` on a generated project: real gunicorn, PostgreSQL and Redis."""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from framework.testing.ports import free_port
from framework.testing.processes import Process, answers_http
from tests.e2e.conftest import clean_environ, manage
from tests.services import delete_keys, key_prefix, postgres_url, redis_url, require

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
BODY_LIMIT = 1024 * 1024
PROBLEM = "application/problem+json"
METRICS_TOKEN = secrets.token_urlsafe(32)
DATABASE_DOWN = "postgres://postgres@127.0.0.1:1/x"
VIEWS = '''
import logging
import os
import time

from django.http import JsonResponse

logger = logging.getLogger("mysite.ops")
PAYLOAD = {"password": "hunter2", "nested": {"apiKey": "k-123-secret"}}


def slow(request):
    logger.info("slow request started")
    time.sleep(float(request.GET["seconds"]))
    return JsonResponse({"slept": request.GET["seconds"]})


def pid(request, number):
    return JsonResponse({"pid": os.getpid()})


def log_secrets(request):
    logger.info("payload %s", PAYLOAD)
    logger.info("payload in extra", extra={"payload": PAYLOAD})
    return JsonResponse({"logged": True})


def connections(request):
    """The worker's process id and its own database session, cache and broker connections, used."""
    from django.core.cache import cache
    from django.db import connection

    from mysite.celery import app

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [backend_pid] = cursor.fetchone()
    cache.get("any")
    with app.producer_or_acquire() as producer:  # as a task is sent
        producer.connection.ensure_connection()
    return JsonResponse({"pid": os.getpid(), "backend_pid": backend_pid})
'''
URLS = '''
import os
from pathlib import Path

from mysite import ops_views

urlpatterns += [
    path("ops/slow/", ops_views.slow), path("ops/secrets/", ops_views.log_secrets),
    path("ops/connections/", ops_views.connections), path("ops/pid/<int:number>/", ops_views.pid),
]

if "OPEN_AT_IMPORT" in os.environ:
    # Whichever process imports the URLs first opens a database session, a cache connection and a
    # broker connection, and says which: under `serve`, the master.
    from django.core.cache import cache
    from django.db import connection

    from mysite.celery import app

    connection.ensure_connection()
    cache.set("opened-at-import", 1)
    with app.pool.acquire() as broker:
        broker.ensure_connection()
    Path(os.environ["OPEN_AT_IMPORT"]).write_text(f"{os.getpid()} {connection.connection.info.backend_pid}")
'''


@pytest.fixture(scope="module")
def site(project):
    """The generated project with two views for these tests: a slow one, one that logs secrets."""
    (project / "mysite" / "ops_views.py").write_text(VIEWS)
    urls = project / "mysite" / "urls.py"
    urls.write_text(urls.read_text() + URLS)
    return project


class Served:
    def __init__(self, url: str, log: Path, process: Process) -> None:
        self.url, self.log, self.process = url, log, process

    def lines(self) -> list[dict]:
        """The JSON lines the server wrote (gunicorn's, the access log, the project's)."""
        found = []
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    def wait_for(self, predicate, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines():
                if predicate(line):
                    return line
            time.sleep(0.1)
        pytest.fail(f"no such log line within {timeout}s:\n{self.log.read_text()}")

    def get(self, path: str, *, timeout: float = 10, **headers: str):
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            response = urllib.request.urlopen(request, timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.headers, response.read()


@contextmanager
def serve(project: Path, tmp_path: Path, **environ: str):
    """`manage.py serve` until it answers /health/, its output in a file; stopped with SIGTERM after."""

    def server(port: int) -> Process:
        variables = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", **environ}
        return Process(
            [sys.executable, "manage.py", "serve"], log=tmp_path / f"serve-{port}.log", cwd=project,
            env=clean_environ(**variables), name="serve",
        )

    process, port = Process.start_on_free_port(
        server, lambda port: answers_http(f"http://127.0.0.1:{port}/health/"), timeout=120, what="answer /health/"  # it may collect the static files first
    )
    with process:
        yield Served(f"http://127.0.0.1:{port}", process.log, process)


def create_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module")
def production_environ(site):
    """The environment of the project as in production: DEBUG off, PostgreSQL, Redis; migrated, a user.

    Its static files are not collected: `serve` does it (test_serve_collected_the_missing_static_files).
    """
    require("PostgreSQL", "127.0.0.1", 5432)
    database_url = postgres_url("serve")
    create_database(database_url)
    environ = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "CACHE_KEY_PREFIX": key_prefix("e2e-serve"),
        "SERVICE_VERSION": "1.4.2",
        "WEB_CONCURRENCY": "2",
        # Short, for the tests of slow clients.
        "WEB_READ_TIMEOUT": "2",
        "MAX_REQUEST_BODY_SIZE": str(BODY_LIMIT),
        "METRICS_TOKEN": METRICS_TOKEN,
    }
    create_user = (
        "from django.contrib.auth import get_user_model; User = get_user_model(); "
        f"User.objects.filter(username='bob').exists() or User.objects.create_user('bob', password={PASSWORD!r})"
    )
    for args in (["migrate", "--noinput"], ["shell", "-c", create_user]):
        result = manage(site, *args, **environ)
        assert result.returncode == 0, result.stdout + result.stderr
    return environ


@pytest.fixture(scope="module")
def production(site, production_environ, tmp_path_factory):
    """The project served as in production, with JSON logs."""
    with serve(site, tmp_path_factory.mktemp("production"), **production_environ) as served:
        yield served
    delete_keys(production_environ["REDIS_URL"], f"{production_environ['CACHE_KEY_PREFIX']}:*")


def test_ready_names_each_check_on_postgresql_and_redis(production):
    status, headers, body = production.get("/health/ready/")

    assert status == 200, body
    document = json.loads(body)
    assert document["status"] == "ok"
    assert document["service"] == {"name": "mysite", "version": "1.4.2", "build": None}
    assert {name: check["status"] for name, check in document["checks"].items()} == {
        "database": "ok", "cache": "ok", "broker": "ok", "migrations": "ok", "static_files": "ok", "outbox": "ok",
    }
    assert headers["Cache-Control"].startswith("max-age=0")


def test_the_request_id_comes_back_and_is_in_the_json_access_line(production):
    status, headers, _ = production.get("/api/v1/notes/", **{"X-Request-ID": "abc-123"})

    assert headers["X-Request-ID"] == "abc-123"
    line = production.wait_for(lambda line: line.get("logger") == "framework.access" and line.get("request_id") == "abc-123")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/notes/", status)
    assert isinstance(line["duration_ms"], float) and line["size"] > 0 and "user_id" in line


def test_a_hostile_request_id_is_replaced_in_the_header_and_the_log(production):
    hostile = '"quoted" <id> ' + "x" * 1_000

    _, headers, _ = production.get("/api/v1/notes/", **{"X-Request-ID": hostile})

    generated = headers["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    production.wait_for(lambda line: line.get("logger") == "framework.access" and line.get("request_id") == generated)
    assert "xxxxxxxxxx" not in production.log.read_text()


def test_a_10_kb_request_id_is_refused_before_it_reaches_the_project(production):
    status, headers, body = production.get("/api/v1/notes/", **{"X-Request-ID": "y" * 10_240})

    # gunicorn's own limit on a header line (8190 bytes) answers first: 431 (since gunicorn 21; the framework needs 23).
    assert status == 431
    assert headers["Content-Type"] == PROBLEM and json.loads(body)["status"] == status
    assert "yyyyyyyyyy" not in headers["X-Request-ID"]
    assert "yyyyyyyyyy" not in production.log.read_text()


def test_logged_secrets_are_masked_in_the_json_lines(production):
    status, _, _ = production.get("/ops/secrets/", **{"X-Request-ID": "secrets-1"})

    assert status == 200
    production.wait_for(lambda line: line.get("message") == "payload in extra" and line.get("request_id") == "secrets-1")
    text = production.log.read_text()
    assert "hunter2" not in text and "k-123-secret" not in text
    [extra] = [line for line in production.lines() if line.get("message") == "payload in extra"]
    assert extra["payload"] == {"password": "********", "nested": {"apiKey": "********"}}


def test_successful_probes_stay_out_of_the_access_log(production):
    production.get("/health/", **{"X-Request-ID": "probe-1"})
    production.get("/api/v1/notes/", **{"X-Request-ID": "after-probe-1"})

    production.wait_for(lambda line: line.get("request_id") == "after-probe-1")
    assert not [line for line in production.lines() if line.get("request_id") == "probe-1"]


def scrape(served: Served, **labels: str) -> float:
    """The value of http_requests_total for `labels`, summed over its series, from /metrics."""
    from prometheus_client.parser import text_string_to_metric_families

    status, _, body = served.get("/metrics", Authorization=f"Bearer {METRICS_TOKEN}")
    assert status == 200, body
    return sum(
        sample.value
        for family in text_string_to_metric_families(body.decode())
        for sample in family.samples
        if sample.name == "http_requests_total" and labels.items() <= sample.labels.items()
    )


def test_metrics_count_the_requests_of_every_worker_by_route_pattern(production):
    labels = {"route": "/ops/pid/{number}/", "method": "GET", "status": "200"}
    before = scrape(production, **labels)
    pids: list[int] = []
    # A new connection each: both workers take some (sent until they have, 200 at most).
    while len(set(pids)) < 2 and len(pids) < 200:
        status, _, body = production.get(f"/ops/pid/{len(pids)}/")
        assert status == 200
        pids.append(json.loads(body)["pid"])

    assert len(set(pids)) == 2
    # Whichever worker answers the scrape, it sums them all.
    assert [scrape(production, **labels) - before for _ in range(4)] == [len(pids)] * 4
    assert scrape(production, route="/ops/pid/0/") == 0


def test_metrics_keep_the_counts_of_recycled_workers_and_fold_their_files(site, tmp_path):
    labels = {"route": "/ops/pid/{number}/", "method": "GET", "status": "200"}
    environ = {"WEB_CONCURRENCY": "2", "WEB_MAX_REQUESTS": "4", "WEB_MAX_REQUESTS_JITTER": "0", "LOG_FORMAT": "json"}
    with serve(site, tmp_path, **environ) as served:
        pids = [json.loads(served.get(f"/ops/pid/{number}/")[2])["pid"] for number in range(16)]
        counted = scrape(served, **labels)
        [started] = [line for line in served.lines() if "metrics_folder" in line]
        folder = Path(started["metrics_folder"])
        # Each replaced worker's counts are folded into the totals when it ends; the living ones' stay theirs.
        served.process.wait_until(
            lambda: len(list(folder.glob("counter_*.db"))) <= 3, timeout=10, what="fold the ended workers' files"
        )
        files = sorted(path.name for path in folder.glob("counter_*.db"))
        recounted = scrape(served, **labels)

    assert len(set(pids)) > 2  # workers were replaced meanwhile
    assert counted == recounted == 16
    assert "counter_folded.db" in files
    # A replaced worker ends without Python's teardown, but with its lines written: none is lost.
    access = [line for line in served.lines() if line["logger"] == "framework.access" and "/ops/pid/" in line["path"]]
    assert len(access) == 16


def test_metrics_without_the_token_are_a_403_problem(production):
    status, headers, body = production.get("/metrics")

    assert status == 403 and headers["Content-Type"] == PROBLEM
    assert json.loads(body)["code"] == "permission_denied"


def test_static_files_are_compressed_and_cached_for_ever(production, site):
    manifest = json.loads((site / "staticfiles" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]

    status, headers, _ = production.get(f"/static/{hashed}", **{"Accept-Encoding": "gzip"})

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]


def test_with_the_database_down_liveness_holds_readiness_and_the_api_say_503(site, tmp_path):
    with serve(site, tmp_path, DATABASE_URL=DATABASE_DOWN, LOG_FORMAT="json") as served:
        live, _, _ = served.get("/health/")
        # The bound the issue sets: a refused database is reported within 3 s.
        ready, _, body = served.get("/health/ready/", timeout=3)
        # A session cookie makes authentication look the session up in the database.
        api, headers, problem = served.get("/api/v1/notes/", Cookie="sessionid=abcdefghijklmnopqrstuvwxyz012345")

    assert live == 200
    assert ready == 503
    assert json.loads(body)["checks"]["database"]["status"] == "error"
    assert api == 503 and headers["Content-Type"] == "application/problem+json"
    assert json.loads(problem)["code"] == "service_unavailable"
    assert "127.0.0.1" not in problem.decode()


def test_a_request_past_the_timeout_is_killed_and_its_stack_logged(site, tmp_path):
    with serve(site, tmp_path, WEB_TIMEOUT="2", LOG_FORMAT="json") as served:
        with pytest.raises((urllib.error.URLError, ConnectionError, OSError)):
            urllib.request.urlopen(
                urllib.request.Request(served.url + "/ops/slow/?seconds=60", headers={"X-Request-ID": "slow-1"}), timeout=30
            )
        line = served.wait_for(lambda line: line.get("logger") == "framework.server" and line["level"] == "ERROR")

    assert line["request_id"] == "slow-1"
    assert line["level"] == "ERROR" and "/ops/slow/" in line["message"]
    assert "ops_views.py" in line["stack"] and "time.sleep" in line["stack"]


def test_sigterm_lets_the_request_in_flight_finish(site, tmp_path):
    with serve(site, tmp_path, WEB_TIMEOUT="30", WEB_GRACEFUL_TIMEOUT="30", LOG_FORMAT="json") as served:
        answers = []
        request = threading.Thread(target=lambda: answers.append(served.get("/ops/slow/?seconds=2", timeout=30)))
        request.start()
        served.wait_for(lambda line: line.get("message") == "slow request started")
        served.process.send_signal(signal.SIGTERM)
        request.join(30)
        served.process.wait(30)

    assert answers and answers[0][0] == 200
    assert json.loads(answers[0][2]) == {"slept": "2"}
    assert served.process.returncode == 0
    # The workers' metrics folder goes with serve.
    [started] = [line for line in served.lines() if "metrics_folder" in line]
    assert not Path(started["metrics_folder"]).exists()


# Workers are forks of a master that loaded the project (preload_app): nothing the master opened is shared.


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`: the master's workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def sockets(pid: int) -> set[str]:
    """The inodes of the sockets process `pid` holds open."""
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[len("socket:["):-1])
    return found


def tcp_sockets() -> dict[str, tuple[int, int]]:
    """The machine's TCP sockets: (local port, remote port) by inode."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            found[fields[9]] = (int(fields[1].rsplit(":", 1)[1], 16), int(fields[2].rsplit(":", 1)[1], 16))
    return found


def sessions(database_url: str) -> set[int]:
    """The process ids of PostgreSQL's sessions on the database."""
    import psycopg

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name]).fetchall()
    return {pid for (pid,) in rows}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the processes' sockets in /proc")
def test_a_recycled_worker_holds_no_connection_of_the_master(site, production_environ, tmp_path):
    opened = tmp_path / "opened-at-import"
    environ = {**production_environ, "WEB_MAX_REQUESTS": "3", "WEB_MAX_REQUESTS_JITTER": "0", "LOG_FORMAT": "json"}
    with serve(site, tmp_path, OPEN_AT_IMPORT=str(opened), **environ) as served:
        answers = [served.get("/ops/connections/") for _ in range(12)]
        master, port = served.process.pid, int(served.url.rsplit(":", 1)[1])
        held = {pid: sockets(pid) for pid in [master, *children(master)]}
        tcp = tcp_sockets()
        open_sessions = sessions(environ["DATABASE_URL"])

    assert [status for status, _, _ in answers] == [200] * 12, answers
    workers = {}  # each worker's database sessions, as it saw them
    for _, _, body in answers:
        answer = json.loads(body)
        workers.setdefault(answer["pid"], set()).add(answer["backend_pid"])
    # The master imported the URLs, and opened its connections there.
    opened_by, master_session = map(int, opened.read_text().split())
    assert opened_by == master
    # Recycled: 12 requests, 3 a worker at most, so at least 4 workers, each with sessions of its own
    # (one per thread that ran a request), none of them the master's.
    assert len(workers) >= 4 and master not in workers
    used = [backend for backends in workers.values() for backend in backends]
    assert len(used) == len(set(used))
    assert master_session not in used
    # The master's session was closed before the first fork, its cache and broker connections too:
    # it holds its listening socket only, the one socket its workers share with it.
    assert master_session not in open_sessions
    [listener] = [inode for inode in held[master] if tcp.get(inode) == (port, 0)]
    assert [tcp[inode] for inode in held[master] if inode in tcp and tcp[inode][1] != 0] == []
    for pid, inodes in held.items():
        if pid != master:
            assert inodes & held[master] <= {listener}, pid  # {} when it is closing down


WORKER_FIRST_REQUESTS = """
import json, sys
from io import BytesIO
from framework.server.gunicorn import Server, options

application = Server(options()).load()  # as in serve's master: the project loaded, then warmed up
before = set(sys.modules)
statuses = []
for path in ("/health/", "/api/v1/notes/", "/api/v1/nothing/", "/static/nothing.css"):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.input": BytesIO(), "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    b"".join(application(environ, lambda status, headers, exc_info=None: statuses.append(status)))
print(json.dumps({"statuses": statuses, "imported": sorted(set(sys.modules) - before)}))
"""


def test_a_workers_first_requests_import_nothing_the_master_could_have(site, production_environ):
    # Each worker, and each replacement of a recycled one, is a fork of the master: what its first
    # requests import is imported again in every one of them.
    result = manage(site, "shell", "-c", WORKER_FIRST_REQUESTS, **production_environ)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.splitlines()[-1])
    assert [status.split()[0] for status in answer["statuses"]] == ["200", "401", "404", "404"]
    assert answer["imported"] == []


def test_a_keep_alive_connection_is_closed_after_its_requests_so_others_take_it(site, tmp_path):
    with serve(site, tmp_path, WEB_KEEPALIVE_REQUESTS="3") as served:
        connection = http.client.HTTPConnection("127.0.0.1", int(served.url.rsplit(":", 1)[1]), timeout=10)
        answers = []
        for _ in range(4):
            connection.request("GET", "/health/")
            response = connection.getresponse()
            response.read()
            answers.append((response.status, response.getheader("Connection"), connection.sock is not None))
        connection.close()

    # Kept open for three requests, the third says it closes it; the fourth comes on a new connection.
    assert answers == [(200, "keep-alive", True), (200, "keep-alive", True), (200, "close", False), (200, "keep-alive", True)]


def test_serve_writes_structured_lines_only(site, tmp_path):
    # DEBUG off, two workers sharing a local-memory cache: a system check's warning.
    environ = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "SECURE_SSL_REDIRECT": "false", "WEB_CONCURRENCY": "2", "LOG_FORMAT": "json"}
    with serve(site, tmp_path, **environ) as served:
        served.get("/health/")
    served.process.wait(30)

    output = served.log.read_text().splitlines()
    assert output and [line for line in output if not line.startswith("{")] == []
    messages = [line["message"] for line in served.lines() if line["logger"] == "framework.server"]
    assert any("(framework.auth.W001)" in message for message in messages)
    assert "Serving on " + served.url.removeprefix("http://") + " with 2 worker(s) of 1 thread(s)" in messages
    # Nothing imported prometheus-client before serve chose the workers' metrics folder.
    assert not [line for line in served.lines() if line["logger"] == "framework.observability"]


# Hostile and malformed clients, with raw sockets: the server reads each request whole before a worker
# thread runs it (framework.server.worker).


def send(served: Served, data: bytes, *, timeout: float = 30) -> http.client.HTTPResponse:
    """Send `data` as it is on a new connection; the answer, read whole."""
    sock = socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1])), timeout=timeout)
    sock.sendall(data)
    return answer(sock)


def answer(sock: socket.socket) -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.body = response.read()
    sock.close()
    return response


def partial_token_request(served: Served) -> socket.socket:
    """A connection that promises a 100-byte body to the token endpoint and sends 11 bytes of it."""
    sock = socket.create_connection(("127.0.0.1", int(served.url.rsplit(":", 1)[1])), timeout=30)
    sock.sendall(
        b"POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 100\r\n\r\n{"username"'
    )
    return sock


def problem_of(response: http.client.HTTPResponse) -> dict:
    assert response.getheader("Content-Type") == PROBLEM, response.body
    body = json.loads(response.body)
    assert body["status"] == response.status
    return body


def access_token(served: Served) -> str:
    request = urllib.request.Request(
        served.url + "/api/v1/auth/token/", data=json.dumps({"username": "bob", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["access"]


def chunked(served: Served, method: str, path: str, document: dict, *, token: str) -> tuple[int, dict]:
    """`document` sent as JSON in three chunks (Transfer-Encoding: chunked, no Content-Length)."""
    payload = json.dumps(document).encode()
    pieces = iter([payload[:5], payload[5:-3], payload[-3:]])
    connection = http.client.HTTPConnection("127.0.0.1", int(served.url.rsplit(":", 1)[1]), timeout=30)
    connection.request(
        method, path, body=pieces, encode_chunked=True,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}", "Transfer-Encoding": "chunked"},
    )
    response = connection.getresponse()
    body = json.loads(response.read() or b"null")
    connection.close()
    return response.status, body


def test_clients_that_send_their_body_slowly_do_not_hold_up_other_requests(production):
    # More of them than the server has threads (2 workers of 1 thread).
    slow = [partial_token_request(production) for _ in range(6)]

    statuses = [production.get("/health/", timeout=5)[0] for _ in range(3)]

    assert statuses == [200, 200, 200]
    for sock in slow:
        response = answer(sock)
        assert (response.status, problem_of(response)["code"]) == (408, "request_timeout")


def test_a_body_shorter_than_its_content_length_is_a_408_problem_and_is_logged(production):
    response = answer(partial_token_request(production))

    assert response.status == 408
    assert "within 2 s" in problem_of(response)["detail"]
    line = production.wait_for(lambda line: line.get("logger") == "framework.server" and "within" in line["message"])
    assert "POST /api/v1/auth/token/" in line["message"]


def test_a_request_whose_headers_never_end_is_a_408_problem(production):
    response = send(production, b"GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Unfinished: ")

    assert (response.status, problem_of(response)["code"]) == (408, "request_timeout")


def test_a_chunked_post_creates_and_a_chunked_patch_changes(production):
    token = access_token(production)

    status, created = chunked(production, "POST", "/api/v1/notes/", {"title": "chunked", "body": "in pieces"}, token=token)
    assert status == 201, created
    assert (created["title"], created["body"]) == ("chunked", "in pieces")

    status, changed = chunked(production, "PATCH", f"/api/v1/notes/{created['id']}/", {"title": "changed"}, token=token)
    assert (status, changed["title"]) == (200, "changed")
    _, _, stored = production.get(f"/api/v1/notes/{created['id']}/", Authorization=f"Bearer {token}")
    assert json.loads(stored)["title"] == "changed"


def test_a_chunked_body_over_the_limit_is_a_411_problem(production):
    chunk = b"x" * 65536
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * (BODY_LIMIT // len(chunk) + 1) + b"0\r\n\r\n"

    response = send(production, (
        b"POST /api/v1/notes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + body
    ))

    assert response.status == 411
    assert f"limit of {BODY_LIMIT} bytes" in problem_of(response)["detail"]


@pytest.mark.parametrize(
    ("request_bytes", "status", "code"),
    [
        (b"GARBAGE\r\n\r\n", 400, "bad_request"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414, "request_uri_too_long"),
        (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Large: " + b"y" * 9000 + b"\r\n\r\n", 431, "request_header_fields_too_large"),
        (b"POST /api/v1/notes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: zstd\r\n\r\n", 501, "not_implemented"),
        # A known coding that does not end with chunked: no length can be told (RFC 9112 6.3).
        (b"POST /api/v1/notes/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400, "bad_request"),
    ],
    ids=["malformed request line", "request line too long", "header too large", "unknown transfer coding", "gzip without chunked"],
)
def test_what_gunicorn_refuses_itself_is_a_problem(production, request_bytes, status, code):
    response = send(production, request_bytes)

    assert response.status == status
    problem = problem_of(response)
    assert problem["code"] == code and problem["request_id"] == response.getheader("X-Request-ID")


@pytest.mark.parametrize("path", ["/api/v1/notes/", "/admin/", "/health/", "/no/such/page/"])
def test_a_disallowed_host_is_a_400_problem_that_says_so_on_every_path(production, path):
    response = send(production, f"GET {path} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".encode())

    assert response.status == 400
    problem = problem_of(response)
    assert problem["code"] == "disallowed_host"
    assert "Host" in problem["detail"]


# Static files: `serve` collects them when they are missing, or refuses to start; readiness reports them.


def test_serve_collected_the_missing_static_files(production):
    page, _, _ = production.get("/admin/login/")
    docs, _, _ = production.get("/api/docs/")

    log = production.log.read_text()
    assert "Collected the static files (the static files are not collected" in log
    assert (page, docs) == (200, 200)
    # Collected before the workers load the project: whitenoise found STATIC_ROOT, and warned of nothing.
    assert "No directory at" not in log and "UserWarning" not in log
    assert not [line for line in production.lines() if line["logger"] == "py.warnings"]


@contextmanager
def static_files_moved_aside(site: Path):
    """The collected static files out of STATIC_ROOT, and back after."""
    root, aside = site / "staticfiles", site / "staticfiles-aside"
    root.rename(aside)
    try:
        yield root
    finally:
        if root.is_symlink():
            root.unlink()
        aside.rename(root)


def test_readiness_reports_static_files_that_are_not_collected(site, production, production_environ):
    with static_files_moved_aside(site):
        result = manage(site, "health", "--ready", **production_environ)

    assert result.returncode == 1
    assert "static_files" in result.stdout and "collectstatic --noinput" in result.stdout


def test_serve_refuses_to_start_with_one_line_when_static_files_cannot_be_collected(site, production, production_environ):
    with static_files_moved_aside(site) as root:
        # A folder nobody can make, root included.
        root.symlink_to("/proc/no-such-folder")
        result = manage(site, "serve", **{**production_environ, "PORT": str(free_port())})

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "collectstatic --noinput" in line and "STATIC_ROOT" in line

