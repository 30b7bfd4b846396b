"""A generated project's OpenAPI schema: generated without warnings, valid as served, and its docs working offline."""

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import validate

from framework.api.schema import MEDIA_TYPE, PROBLEM
from tests.e2e.conftest import free_port, manage, serving

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Headless, with as few of Chromium's own requests as its switches allow.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-first-run",
    "--no-default-browser-check",
    # Autofill asks a Google server about the page's forms, on the page's behalf.
    "--disable-features=AutofillServerCommunication",
    # Swagger UI renders after it has fetched the schema: let the page run before the DOM is dumped.
    "--virtual-time-budget=15000",
]


def page_requests(net_log: Path, *, site: str) -> set[str]:
    """The URLs requested by a page of `site`, to any host, from Chromium's net log.

    The browser's own requests (update checks, accounts) are left out: they are
    not made on behalf of the page, so their network isolation key is not its site.
    """
    log = json.loads(net_log.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    jobs = [event.get("params", {}) for event in log["events"] if event["type"] == start_job]
    return {job["url"] for job in jobs if job.get("network_isolation_key", "").startswith(site)}


@pytest.fixture(scope="module")
def server(project):
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with serving(args, cwd=project, port=port) as url:
        yield url


def test_schema_generation_emits_no_warnings(project, tmp_path):
    schema = tmp_path / "schema.yml"

    result = manage(project, "spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "/api/v1/notes/{id}/:" in schema.read_text()


def test_the_served_schema_is_valid_and_documents_the_api(server):
    with urllib.request.urlopen(server + "/api/schema/?format=json", timeout=30) as response:
        content_type = response.headers["Content-Type"]
        schema = json.loads(response.read())

    assert content_type.startswith("application/vnd.oai.openapi+json")
    validate(schema)
    paths, components = schema["paths"], schema["components"]
    assert {"/api/v1/notes/", "/api/v1/notes/{id}/"} <= paths.keys()
    # The error format, the pagination envelope and the auth schemes are in it.
    not_found = paths["/api/v1/notes/{id}/"]["get"]["responses"]["404"]
    assert not_found["content"][MEDIA_TYPE]["schema"] == {"$ref": f"#/components/schemas/{PROBLEM}"}
    page = paths["/api/v1/notes/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = components["schemas"][page["$ref"].rpartition("/")[2]]
    assert {"count", "next", "previous", "results"} <= envelope["properties"].keys()
    assert components["securitySchemes"]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
# Each with a class only its JavaScript renders, not in the page as served.
@pytest.mark.parametrize(("page", "rendered"), [("/api/docs/", "opblock-summary-path"), ("/api/redoc/", "redoc-wrap")])
def test_the_docs_render_with_no_request_leaving_localhost(server, tmp_path, page, rendered):
    net_log = tmp_path / "net-log.json"

    result = subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--log-net-log={net_log}",
            "--dump-dom",
            server + page,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    dom = result.stdout
    assert rendered in dom, dom
    assert "/api/v1/notes/{id}/" in dom, dom
    requested = page_requests(net_log, site="http://127.0.0.1")
    assert server + "/api/schema/" in requested
    assert {urlsplit(url).hostname for url in requested} == {"127.0.0.1"}, sorted(requested)
