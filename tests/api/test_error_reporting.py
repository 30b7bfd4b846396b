"""An unexpected error in an API view reaches an error tracker: Sentry's SDK, added the way its docs say, sees it once."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# In its own process: sentry_sdk.init() patches Django for the rest of the process's life.
# Its events are kept by a transport of the test's own, instead of being sent to a Sentry server.
SCRIPT = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.transport import Transport

events = []

class Kept(Transport):
    def capture_envelope(self, envelope):
        events.extend(item.payload.json for item in envelope.items if item.type == "event")

sentry_sdk.init(dsn="http://public@127.0.0.1:9/1", transport=Kept, integrations=[DjangoIntegration()])
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # ALLOWED_HOSTS takes the test client's host
from django.test import Client

response = Client(raise_request_exception=False).get(sys.argv[1], HTTP_X_REQUEST_ID="sentry-1")
sentry_sdk.flush()
print(json.dumps({"status": response.status_code, "body": response.json(), "events": events}))
"""


def report(path, folder):
    pytest.importorskip("sentry_sdk")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, path], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3", "LOG_LEVEL": "CRITICAL"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_sentry_sees_an_unexpected_error_in_an_api_view_once(tmp_path):
    result = report("/api/test/fail/crash/", tmp_path)

    assert (result["status"], result["body"]["code"]) == (500, "server_error")
    [event] = result["events"]
    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert exception["stacktrace"]["frames"][-1]["function"] == "fail"
    # Named by the route, as Sentry groups it.
    assert event["transaction"] == "/api/test/fail/{kind}/"


def test_sentry_sees_nothing_of_an_expected_error(tmp_path):
    result = report("/api/test/fail/domain/", tmp_path)

    assert result["status"] == 409
    assert result["events"] == []
