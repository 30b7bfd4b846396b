"""Metrics across forked processes: summed from the folder `serve` and `runworker` make, which goes when they exit."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from framework.observability import multiprocess
from framework.server.gunicorn import Server, options

from .conftest import samples

REPOSITORY = Path(__file__).resolve().parents[2]

# Run in a process of its own: prometheus-client chooses its multiprocess mode when first imported.
FORKS = '''
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
imported_at_setup = "prometheus_client" in sys.modules
if sys.argv[1] == "early":  # as a URLconf the system checks import might
    from prometheus_client import Counter
    Counter("made_early", "A metric made at import time.")

from django.test import RequestFactory
from framework.observability import multiprocess, requests
from framework.observability.exposition import Scrape

folder = multiprocess.start("test")
from prometheus_client import generate_latest
children = []
for child in range(2):
    pid = os.fork()
    if pid == 0:
        for _ in range(5 + child):
            requests.finished(RequestFactory().get("/"), 200, 0.01)
        requests.started()  # one request left in flight in each
        multiprocess.stop()  # a forked process's stop leaves the folder to its maker
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
scrapes = [generate_latest(Scrape(multiprocess.collectors())).decode()]
multiprocess.process_ended(children[0])
scrapes.append(generate_latest(Scrape(multiprocess.collectors())).decode())
multiprocess.process_ended(children[1])
scrapes.append(generate_latest(Scrape(multiprocess.collectors())).decode())
files = sorted(path.name for path in folder.glob("*.db"))
multiprocess.stop()
print(json.dumps({
    "imported_at_setup": imported_at_setup, "folder": str(folder), "scrapes": scrapes, "files": files,
}))
'''


@functools.cache
def run_forks(when: str = "late") -> dict:
    result = subprocess.run([sys.executable, "-c", FORKS, when], cwd=REPOSITORY, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout.splitlines()[-1]), "stderr": result.stderr}


@pytest.mark.parametrize("when", ["late", "early"])
def test_the_counts_of_forked_processes_are_summed_and_the_folder_removed_by_its_maker(when):
    # early: prometheus-client was imported before the folder was made; metrics made after still use it.
    found = run_forks(when)

    first, after_one_ended, after_both_ended = (samples(text) for text in found["scrapes"])
    labels = frozenset({"route": "<unmatched>", "method": "GET", "status": "200"}.items())
    assert first[("http_requests_total", labels)] == 11  # 5 + 6
    assert first[("http_request_duration_seconds_count", labels)] == 11
    assert first[("http_requests_in_flight", frozenset())] == 2
    # A process that ended no longer has requests in flight; its counts still count.
    assert after_one_ended[("http_requests_in_flight", frozenset())] == 1
    assert after_one_ended[("http_requests_total", labels)] == 11
    assert not Path(found["folder"]).exists()


def test_the_files_of_ended_processes_are_folded_into_totals_that_count_the_same():
    found = run_forks()

    first, _, after_both_ended = (samples(text) for text in found["scrapes"])
    counts = {key: count for key, count in first.items() if key[0] != "http_requests_in_flight"}
    assert {key: after_both_ended[key] for key in counts} == counts  # every bucket, sum and count
    assert after_both_ended.get(("http_requests_in_flight", frozenset()), 0) == 0  # no process lives to have one
    # A scrape reads the totals, not a file per process that ever ran.
    assert found["files"] == ["counter_folded.db", "histogram_folded.db"]


def test_metrics_made_before_the_folder_are_named_in_a_warning():
    found = run_forks("early")

    assert "left out of the scrapes: made_early." in found["stderr"]
    assert "made_early" not in found["scrapes"][0]
    assert "left out of the scrapes" not in run_forks("late")["stderr"]


def test_nothing_imports_prometheus_client_when_django_starts():
    # Else `serve` would set the folder too late, and each worker would answer its own counts.
    assert run_forks()["imported_at_setup"] is False


def test_without_a_folder_a_process_counts_alone():
    assert multiprocess.folder() is None
    from prometheus_client import REGISTRY

    assert multiprocess.collectors() == [REGISTRY]


def test_gunicorn_marks_each_worker_that_exits_dead_and_removes_the_folder_on_exit(monkeypatch):
    ended, stopped = [], []
    monkeypatch.setattr(multiprocess, "process_ended", ended.append)
    monkeypatch.setattr(multiprocess, "stop", lambda: stopped.append(True))
    server = Server(options())

    server.cfg.child_exit(server, SimpleNamespace(pid=4242))
    server.cfg.on_exit(server)

    assert ended == [4242] and stopped == [True]
