"""The HTTP scenarios: what each sends, to which servers, and which framework feature it needs.

A scenario whose feature the framework does not have (yet) is reported as
"unavailable (feature missing)" rather than failing the run.
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from .load import Request
from .projects import Project, Server, last_line

UNAVAILABLE = "unavailable (feature missing)"
# Both ways a project compares with the baseline (see docs/performance.md).
AGAINST_BASELINES = ("framework", "baseline", "baseline_tuned")
NEW_NOTE = json.dumps({"title": "A benchmark note", "body": "Written by the create scenario."})


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    path: str
    method: str = "GET"
    auth: str | None = None  # None, "session", "jwt" or "api_key"
    body: str | None = None
    feature: str | None = None  # what the framework must have: "jwt", "api_key", "health", "cache"
    targets: tuple[str, ...] = AGAINST_BASELINES
    peer: bool = False  # the Django Ninja project serves it too


SCENARIOS = [
    Scenario("list", "Unauthenticated list, 20 rows (page 1 of 1000)", "/api/v1/public-notes/", peer=True),
    Scenario("list_session", "Session-authenticated list of the user's notes, 20 rows", "/api/v1/notes/", auth="session", peer=True),
    Scenario("list_jwt", "JWT-authenticated list, 20 rows", "/api/v1/notes/", auth="jwt", feature="jwt", peer=True),
    Scenario("list_api_key", "API-key-authenticated list, 20 rows", "/api/v1/notes/", auth="api_key", feature="api_key"),
    Scenario("detail", "Unauthenticated detail GET of one note", "/api/v1/public-notes/{detail_id}/", peer=True),
    Scenario("health", "GET /health/", "/health/", feature="health"),
    Scenario(
        "cached_list", "Session-authenticated notes list, cached (framework) vs the same list uncached",
        "/api/v1/notes/", auth="session", feature="cache", targets=("framework_cached", "framework"),
    ),
    # Last: it adds rows to the user's notes, which the lists above count.
    Scenario(
        "create", "Session-authenticated create POST (JSON)", "/api/v1/notes/", method="POST", auth="session",
        body=NEW_NOTE, peer=True,
    ),
]


class FeatureError(Exception):
    """The framework has the feature, but it did not work: the scenario fails, with this reason."""


def _post_json(url: str, payload: dict) -> tuple[int, dict | str]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def jwt(server: Server) -> str | None:
    """A fresh access token for the bench user from `server` (tokens expire: fetch one per run); None without JWT."""
    seed = server.project.seed
    status, body = _post_json(server.url + "/api/v1/auth/token/", {"username": seed["username"], "password": seed["password"]})
    if status == 404:
        return None
    if status != 200 or not isinstance(body, dict) or "access" not in body:
        raise FeatureError(f"{server.label}: POST /api/v1/auth/token/ answered {status}: {str(body)[:200]}")
    return body["access"]


def api_key(project: Project) -> str | None:
    """An API key for the bench user from `manage.py createapikey`; None when the command does not exist."""
    result = project.manage("createapikey", "--user", project.seed["username"], "--name", "bench")
    if result.returncode != 0:
        if "Unknown command" in result.stderr + result.stdout:
            return None
        raise FeatureError(f"createapikey failed: {(result.stderr or result.stdout).strip()[:300]}")
    return last_line(result.stdout)


def has_health(server: Server) -> bool:
    status, body = _get(server.url + "/health/")
    if status == 404:
        return False
    if status != 200:
        raise FeatureError(f"GET /health/ answered {status}: {body[:200]}")
    return True


def has_cache(project: Project) -> bool:
    """Does the notes list answer `X-Cache` (only under DEBUG) on a second identical request?"""
    probe = project.shell("probe_cache.py", DEBUG="true")
    if probe["status"] != 200:
        raise FeatureError(f"the notes list answered {probe['status']} under DEBUG")
    return probe["x_cache"] in ("hit", "miss")


class Credentials:
    """How each server is asked, per authentication kind."""

    def __init__(self, servers: dict[str, Server]) -> None:
        self.servers = servers
        self.csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret format
        self.api_keys: dict[str, str] = {}

    def headers(self, scenario: Scenario, target: str) -> dict[str, str]:
        server = self.servers[target]
        seed = server.project.seed
        if scenario.auth == "session":
            return {
                "Cookie": f"sessionid={seed['session']}; csrftoken={self.csrf}",
                "X-CSRFToken": self.csrf,
                **({"Content-Type": "application/json"} if scenario.body else {}),
            }
        headers = {"Content-Type": "application/json"} if scenario.body else {}
        if scenario.auth == "jwt":
            headers["Authorization"] = f"Bearer {jwt(server)}"
        elif scenario.auth == "api_key":
            if server.project.label == "framework":
                headers["Authorization"] = f"Api-Key {self.api_keys['framework']}"
            else:  # DRF's own API keys: rest_framework.authtoken
                headers["Authorization"] = f"Token {seed['token']}"
        return headers

    def request(self, scenario: Scenario, target: str) -> Request:
        seed = self.servers[target].project.seed
        return Request(
            path=scenario.path.format(detail_id=seed["detail_id"]), method=scenario.method,
            headers=self.headers(scenario, target), body=scenario.body,
        )
