"""Schemathesis against a generated project under `manage.py serve`: the API does what its schema says, no more, no less.

Every operation of `/api/schema/` (the notes app, the library app startapp
writes, the token endpoints), with every check schemathesis has: no 5xx, each
status, content type, header and body as documented, schema-valid input
accepted and schema-invalid input refused, in its coverage, fuzzing and
stateful phases. Signed in with a JWT of an auditor, so that the operations
that need the role answer too. The seed is fixed and the examples are few: the
same requests every run, in about a minute.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import urllib.request

import pytest

from tests.e2e.conftest import BIN, manage
from tests.e2e.test_serve import serve

pytestmark = pytest.mark.e2e

PASSWORD = "an auditor's password"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "WEB_CONCURRENCY": "2",
    # A thousand requests in a minute, from one address and one user: a 429 would hide what the
    # operation does (the throttles have their own tests).
    "THROTTLE_ANON_RATE": "100000/minute",
    "THROTTLE_USER_RATE": "100000/minute",
    "THROTTLE_TOKEN_RATE": "100000/minute",
    "THROTTLE_AUTH_FAILURE_RATE": "100000/minute",
}


@pytest.fixture(scope="module")
def served(project, tmp_path_factory):
    create_auditor = (
        "from django.contrib.auth import get_user_model; from django.contrib.auth.models import Group; "
        f"user = get_user_model().objects.create_user('carol', password={PASSWORD!r}); "
        "user.groups.add(Group.objects.get_or_create(name='auditor')[0])"
    )
    result = manage(project, "shell", "-c", create_auditor)
    assert result.returncode == 0, result.stdout + result.stderr
    with serve(project, tmp_path_factory.mktemp("schemathesis"), **PRODUCTION) as server:
        yield server


def access_token(served) -> str:
    request = urllib.request.Request(
        served.url + "/api/v1/auth/token/", data=json.dumps({"username": "carol", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["access"]


def test_schemathesis_finds_no_failure_in_any_operation(served, tmp_path):
    command = [
        str(BIN / "st"), "run", f"{served.url}/api/schema/?format=json",
        "--header", f"Authorization: Bearer {access_token(served)}",
        "--checks", "all",
        "--phases", "coverage,fuzzing,stateful",
        "--seed", "1", "--max-examples", "3",
        # One worker, no examples kept from an earlier run: the same requests, in the same order, every run.
        "--workers", "1", "--generation-database", "none",
        "--request-timeout", "30", "--no-color",
    ]

    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)

    output = result.stdout + result.stderr
    assert "Selected: 19/19" in output, output
    assert result.returncode == 0, output[output.find("FAILURES"):][:30_000] or output
