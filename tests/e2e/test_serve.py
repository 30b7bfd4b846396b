"""`manage.py serve` on a generated project: real gunicorn, PostgreSQL and Redis."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.conftest import clean_environ, free_port, manage
from tests.services import postgres_url, require

pytestmark = pytest.mark.e2e

REDIS_URL = "redis://127.0.0.1:6379/10"
DATABASE_DOWN = "postgres://postgres@127.0.0.1:1/x"
VIEWS = '''
import logging
import time

from django.http import JsonResponse

logger = logging.getLogger("mysite.ops")
PAYLOAD = {"password": "hunter2", "nested": {"apiKey": "k-123-secret"}}


def slow(request):
    logger.info("slow request started")
    time.sleep(float(request.GET["seconds"]))
    return JsonResponse({"slept": request.GET["seconds"]})


def log_secrets(request):
    logger.info("payload %s", PAYLOAD)
    logger.info("payload in extra", extra={"payload": PAYLOAD})
    return JsonResponse({"logged": True})
'''
URLS = '''
from mysite import ops_views

urlpatterns += [path("ops/slow/", ops_views.slow), path("ops/secrets/", ops_views.log_secrets)]
'''


@pytest.fixture(scope="module")
def site(project):
    """The generated project with two views for these tests: a slow one, one that logs secrets."""
    (project / "mysite" / "ops_views.py").write_text(VIEWS)
    urls = project / "mysite" / "urls.py"
    urls.write_text(urls.read_text() + URLS)
    return project


class Served:
    def __init__(self, url: str, log: Path, process: subprocess.Popen) -> None:
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
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    environ = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", **environ}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve"], cwd=project, env=clean_environ(**environ),
            stdout=output, stderr=subprocess.STDOUT,
        )
    served = Served(f"http://127.0.0.1:{port}", log, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                urllib.request.urlopen(served.url + "/health/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"serve did not answer within 60s:\n{log.read_text()}")
                time.sleep(0.2)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def create_database(url: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module")
def production(site, tmp_path_factory):
    """The project served as in production: DEBUG off, JSON logs, PostgreSQL, Redis, collected static files."""
    require("PostgreSQL", "127.0.0.1", 5432)
    require("Redis", "127.0.0.1", 6379)
    database_url = postgres_url("serve")
    create_database(database_url)
    environ = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "SERVICE_VERSION": "1.4.2",
        "WEB_CONCURRENCY": "2",
    }
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = manage(site, *args, **environ)
        assert result.returncode == 0, result.stdout + result.stderr
    with serve(site, tmp_path_factory.mktemp("production"), **environ) as served:
        yield served


def test_ready_names_each_check_on_postgresql_and_redis(production):
    status, headers, body = production.get("/health/ready/")

    assert status == 200, body
    document = json.loads(body)
    assert document["status"] == "ok"
    assert document["service"] == {"name": "mysite", "version": "1.4.2", "build": None}
    assert {name: check["status"] for name, check in document["checks"].items()} == {
        "database": "ok", "cache": "ok", "broker": "ok", "migrations": "ok",
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
    status, headers, _ = production.get("/api/v1/notes/", **{"X-Request-ID": "y" * 10_240})

    # gunicorn's own limit on a header line (8190 bytes) answers first: 431 (or 400 in older versions).
    assert status in (400, 431)
    assert "X-Request-ID" not in headers
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


def test_serve_writes_structured_lines_only(site, tmp_path):
    # DEBUG off, static files never collected, two workers sharing a local-memory cache: a warning each.
    environ = {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "SECURE_SSL_REDIRECT": "false", "WEB_CONCURRENCY": "2", "LOG_FORMAT": "json"}
    collected = site / "staticfiles"
    if collected.exists():  # the production fixture's collectstatic: put aside for this test
        collected.rename(tmp_path / "staticfiles")
    try:
        with serve(site, tmp_path, **environ) as served:
            served.get("/health/")
        served.process.wait(30)
    finally:
        if (tmp_path / "staticfiles").exists():
            (tmp_path / "staticfiles").rename(collected)

    output = served.log.read_text().splitlines()
    assert output and [line for line in output if not line.startswith("{")] == []
    lines = served.lines()
    assert [line["message"] for line in lines if line["logger"] == "framework.server"] == [
        next(line["message"] for line in lines if line.get("check") == "framework.auth.W001"),
        "Serving on " + served.url.removeprefix("http://") + " with 2 worker(s) of 1 thread(s)",
    ]
    # whitenoise's warning, once per worker, as a log line.
    assert len([line for line in lines if line["logger"] == "py.warnings" and "No directory at" in line["message"]]) == 2
