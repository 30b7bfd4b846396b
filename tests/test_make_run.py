"""`make run PORT=...`: the demo project served on the port given, its root a page of links (DEBUG is on)."""

import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import clean_environ, free_port
from tests.services import ON_CI

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e


def test_make_run_serves_the_demo_on_the_port_given():
    if shutil.which("make") is None:
        if ON_CI:
            pytest.fail("make is not installed (CI=true: it is required)")
        pytest.skip("make is not installed")
    port = free_port()
    # -o: the virtualenv counts as installed; the test runs in it.
    process = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "run", f"PORT={port}"],
        cwd=ROOT,
        env=clean_environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = response.read().decode()
                break
            except urllib.error.HTTPError as error:
                pytest.fail(f"/ answered {error.code}")
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, f"make run did not answer on port {port}"
                time.sleep(0.5)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)

    assert f'href="http://127.0.0.1:{port}/api/docs/"' in page
    assert f'href="http://127.0.0.1:{port}/admin/"' in page
