"""Two generated projects under `manage.py serve`: A calls B's notes API through framework.services.

B is then stopped, made to answer 503, and made slow (its processes paused, past A's read
timeout): A answers its caller in the error format within its budget, retries only what is
safe (B's access log counts the attempts), opens its breaker, and recovers once B is back.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.conftest import clean_environ, free_port, manage
from tests.e2e.test_serve import Served

pytestmark = pytest.mark.e2e

DATABASE_DOWN = "postgres://postgres@127.0.0.1:1/x"
KEY_OF_B = """
from django.contrib.auth import get_user_model
from framework.auth.api_keys import create_api_key
from notes.services import create_note
owner, _ = get_user_model().objects.get_or_create(username="caller")
create_note(owner=owner, title="from B", body="read by A")
print(create_api_key(owner, name="project A")[1])
"""
A_TASK = '''


@task
def count_remote_notes() -> int:
    """The number of notes B has for A: a call to another service from a task."""
    from framework.services import service

    return service("notes").get("/api/v1/notes/").json()["count"]
'''
A_VIEWS = '''
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from framework.services import service
from notes.tasks import count_remote_notes


@api_view(["GET", "POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def remote_notes(request):
    if request.method == "POST":
        return Response(service("notes").post("/api/v1/notes/", json=request.data).json(), status=201)
    return Response({"count": service("notes").get("/api/v1/notes/").json()["count"]})


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def remote_notes_task(request):
    count_remote_notes.delay()
    return Response(status=202)
'''
A_URLS = '''
from mysite import remote_views

urlpatterns += [
    path("api/remote-notes/", remote_views.remote_notes),
    path("api/remote-notes/task/", remote_views.remote_notes_task),
]
'''
#: A's settings of B: short timeouts and a small budget, so that the test is quick.
BUDGET = 2.5
COOLDOWN = 3.0


@contextmanager
def serving(project: Path, port: int, log: Path, **environ: str) -> Iterator[Served]:
    """`manage.py serve` on `port`, in a process group of its own (to pause it whole); stopped after."""
    environ = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": "1", "LOG_FORMAT": "json", **environ}
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve"], cwd=project, env=clean_environ(**environ),
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
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
        os.killpg(process.pid, signal.SIGCONT)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def call(url: str, *, request_id: str, method: str = "GET", body: dict | None = None, timeout: float = 30):
    """(status, headers, decoded body, seconds taken) of one call to A."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={"X-Request-ID": request_id, "Content-Type": "application/json"}
    )
    started = time.monotonic()
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    content = response.read()
    return response.status, response.headers, json.loads(content) if content else None, time.monotonic() - started


class AccessLog:
    """B's access lines for its notes API, over all its runs."""

    def __init__(self) -> None:
        self.logs: list[Path] = []

    def lines(self) -> list[dict]:
        found = []
        for log in self.logs:
            for line in log.read_text().splitlines():
                if line.startswith("{"):
                    record = json.loads(line)
                    if record.get("logger") == "framework.access" and record.get("path") == "/api/v1/notes/":
                        found.append(record)
        return found

    def of(self, request_id: str) -> list[dict]:
        return [line for line in self.lines() if line.get("request_id") == request_id]

    def wait_for(self, request_id: str, count: int, timeout: float = 20) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(found := self.of(request_id)) >= count:
                return found
            time.sleep(0.1)
        pytest.fail(f"B logged {self.of(request_id)} for {request_id}, expected {count} line(s)")


@pytest.fixture(scope="module")
def caller(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Project A: a copy of the generated project that lists B as the service "notes", and calls it."""
    root = tmp_path_factory.mktemp("caller")
    caller = root / "mysite"
    shutil.copytree(project, caller, ignore=shutil.ignore_patterns(".tasks", "*.log"))
    settings = caller / "mysite" / "settings.py"
    settings.write_text(settings.read_text().replace("configure(globals())", 'configure(globals(), services=["notes"])'))
    tasks = caller / "notes" / "tasks.py"
    tasks.write_text(tasks.read_text() + A_TASK)
    (caller / "mysite" / "remote_views.py").write_text(A_VIEWS)
    urls = caller / "mysite" / "urls.py"
    urls.write_text(urls.read_text() + A_URLS)
    return caller


def test_a_calls_b_and_fails_well_when_b_does_not_answer(project, caller, tmp_path):
    result = manage(project, "shell", "-c", KEY_OF_B)
    assert result.returncode == 0, result.stdout + result.stderr
    key = result.stdout.strip().splitlines()[-1]
    port_b = free_port()
    a_environ = {
        "SERVICE_NOTES_URL": f"http://127.0.0.1:{port_b}",
        "SERVICE_NOTES_API_KEY": key,
        "SERVICE_NOTES_CONNECT_TIMEOUT": "0.5",
        "SERVICE_NOTES_READ_TIMEOUT": "1",
        "SERVICE_NOTES_TOTAL_TIMEOUT": str(BUDGET),
        "SERVICE_NOTES_RETRIES": "2",
        "SERVICE_NOTES_RETRY_BACKOFF": "0.05",
        # Stopped (3 attempts), 503 (3 attempts of a GET, 1 of a POST): 7; slow: 2 or 3 more.
        "SERVICE_NOTES_BREAKER_FAILURES": "9",
        "SERVICE_NOTES_BREAKER_COOLDOWN": str(COOLDOWN),
        "SERVICE_NOTES_CRITICAL": "true",
    }
    b_log = AccessLog()
    ids_sent = set()

    def b_serving(name: str, **environ: str):
        b_log.logs.append(tmp_path / f"b-{name}.log")
        return serving(project, port_b, b_log.logs[-1], **environ)

    def call_a(path: str, request_id: str, **kwargs):
        ids_sent.add(request_id)
        return call(a.url + path, request_id=request_id, **kwargs)

    worker_log = (tmp_path / "a-worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "runworker", "--concurrency", "1"], cwd=caller,
        env=clean_environ(LOG_FORMAT="json", **a_environ), stdout=worker_log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        with serving(caller, free_port(), tmp_path / "a.log", **a_environ) as a:
            # B up: from a view, and from a task, with A's request id.
            with b_serving("up"):
                status, _, body, _ = call_a("/api/remote-notes/", "a-view")
                assert (status, body) == (200, {"count": 1})
                assert [line["status"] for line in b_log.of("a-view")] == [200]
                assert call_a("/api/remote-notes/task/", "a-task", method="POST")[0] == 202
                assert [line["status"] for line in b_log.wait_for("a-task", 1, timeout=60)] == [200]

            # B stopped: 503, all three attempts refused.
            status, _, body, seconds = call_a("/api/remote-notes/", "b-stopped")
            assert (status, body["code"], body["request_id"]) == (503, "service_unavailable", "b-stopped")
            assert seconds < BUDGET + 2

            # B answers 503 (its database is down): a GET is tried three times, a POST once.
            with b_serving("503", DATABASE_URL=DATABASE_DOWN):
                status, _, body, _ = call_a("/api/remote-notes/", "b-503")
                assert (status, body["code"]) == (503, "service_unavailable")
                assert [line["status"] for line in b_log.of("b-503")] == [503, 503, 503]
                status, _, body, _ = call_a("/api/remote-notes/", "b-503-post", method="POST", body={"title": "x", "body": "y"})
                assert (status, body["code"]) == (503, "service_unavailable")
                assert [line["status"] for line in b_log.of("b-503-post")] == [503]

            with b_serving("slow") as b:
                # B slow: its processes paused, A's attempts time out; 504 within the budget.
                os.killpg(b.process.pid, signal.SIGSTOP)
                status, _, body, seconds = call_a("/api/remote-notes/", "b-slow")
                assert (status, body["code"]) == (504, "gateway_timeout")
                assert seconds < BUDGET + 2
                # The breaker is open now: a call fails at once, without reaching B.
                status, headers, body, _ = call_a("/api/remote-notes/", "b-open")
                assert (status, body["code"]) == (503, "service_unavailable")
                assert 1 <= int(headers["Retry-After"]) <= COOLDOWN
                ready = call_a("/health/ready/", "ready-open")
                assert ready[0] == 503 and ready[2]["checks"]["service.notes"]["status"] == "error"
                os.killpg(b.process.pid, signal.SIGCONT)
                # B answers the attempts it had queued: each was a GET, retried as it may be.
                assert len(b_log.wait_for("b-slow", 2)) in (2, 3)

                # Back by itself once the cool-down is over: the trial call succeeds.
                time.sleep(COOLDOWN)
                status, _, body, _ = call_a("/api/remote-notes/", "b-back")
                assert (status, body) == (200, {"count": 1})
                assert call_a("/health/ready/", "ready-back")[2]["checks"]["service.notes"]["status"] == "ok"
                assert b_log.of("b-open") == []
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        worker_log.close()

    # Every call B received carried the request id of the call to A that made it.
    assert b_log.lines() and {line["request_id"] for line in b_log.lines()} <= ids_sent
