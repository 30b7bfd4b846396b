"""`make run PORT=...`: the demo project served on the port given, its root a page of links (DEBUG is on)."""

import shutil
import urllib.request
from pathlib import Path

import pytest

from framework.testing.processes import Process, answers_http
from tests.e2e.conftest import clean_environ, free_port
from tests.services import ON_CI

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


def test_make_run_serves_the_demo_on_the_port_given(tmp_path):
    if shutil.which("make") is None:
        if ON_CI:
            pytest.fail("make is not installed (CI=true: it is required)")
        pytest.skip("make is not installed")
    port = free_port()
    # -o: the virtualenv counts as installed; the test runs in it.
    with Process(
        ["make", "-o", ".venv/.installed", "run", f"PORT={port}"], log=tmp_path / "make-run.log",
        cwd=ROOT, env=clean_environ(), name="make run",
    ) as make_run:
        make_run.wait_until(answers_http(f"http://127.0.0.1:{port}/"), timeout=120, what=f"answer on port {port}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
            page = response.read().decode()

    assert f'href="http://127.0.0.1:{port}/api/docs/"' in page
    assert f'href="http://127.0.0.1:{port}/admin/"' in page
