"""docs/tutorial.md, run as written in a fresh folder, its commands and edited files counted.

The steps are the page's ```shell blocks, one command a line; `cd` moves and is
not counted. What a user types at a prompt is given instead: createsuperuser's
answers as Django's DJANGO_SUPERUSER_* variables, and runserver gets a free
port. The browser's part (sign in, Swagger UI's "Try it out") is made with the
requests the browser would send. The files the page edits are its Python
blocks with a title, written as they are.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shlex
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import framework
from tests.e2e.conftest import REPOSITORY, clean_environ, free_port, run, serving

pytestmark = pytest.mark.e2e

TUTORIAL = REPOSITORY / "docs" / "tutorial.md"
MAX_COMMANDS, MAX_EDITED_FILES = 5, 2
USER = {"DJANGO_SUPERUSER_USERNAME": "ann", "DJANGO_SUPERUSER_EMAIL": "ann@example.com", "DJANGO_SUPERUSER_PASSWORD": "a long passphrase"}
BOOK = {"title": "Dune", "author": "Frank Herbert", "published": "1965-08-01"}


def blocks(language: str, text: str) -> list[tuple[str, str]]:
    """The fenced blocks of `language` in `text`: (their title, if any; their code)."""
    pattern = rf'^```{language}(?: title="([^"]+)")?\n(.*?)^```$'
    return [(match[1] or "", match[2]) for match in re.finditer(pattern, text, re.MULTILINE | re.DOTALL)]


def commands(text: str) -> list[str]:
    steps = text.split("## Steps", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for _, code in blocks("shell", steps) for line in code.splitlines() if line.strip()]


def edited_files(text: str) -> dict[str, str]:
    return {title: code for title, code in blocks("python", text) if title}


class Browser:
    """A browser's requests: cookies kept, and on writes the CSRF token Swagger UI's page holds."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.swagger_csrf_token = ""

    def open_swagger_ui(self) -> None:
        status, page = self.request("GET", "/api/docs/")
        assert status == 200
        # drf-spectacular's page adds this header to every request it sends but a GET.
        match = re.search(r'request\.headers\["(X-CSRFTOKEN)"\] = "([^"]+)"', page.decode())
        assert match, page.decode()[-2000:]
        self.swagger_csrf_token = match[2]

    def csrf_token(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, method: str, path: str, payload: dict | None = None, **headers: str) -> tuple[int, object]:
        if method != "GET":
            headers = {"X-CSRFToken": self.swagger_csrf_token, "Referer": self.base + "/api/docs/", **headers}
        body = json.dumps(payload).encode() if payload is not None else None
        status, content = self.request(method, path, body=body, headers={"Content-Type": "application/json", **headers})
        return status, json.loads(content) if content else None

    def sign_in(self, username: str, password: str) -> None:
        assert self.request("GET", "/admin/login/")[0] == 200
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token(), "next": "/admin/"}
        ).encode()
        status, page = self.request("POST", "/admin/login/?next=/admin/", body=form, headers={"Referer": self.base + "/admin/login/"})
        assert status == 200 and b"Log out" in page, page[:500]


def test_the_tutorial_counts_at_most_five_commands_and_two_edited_files():
    text = TUTORIAL.read_text()
    steps = commands(text)

    assert steps[0].startswith("pip install ")
    counted = [command for command in steps[1:] if not command.startswith("cd ")]
    assert len(counted) <= MAX_COMMANDS, counted
    assert len(edited_files(text)) <= MAX_EDITED_FILES
    # The wheel it installs is this version's, with the test tools the tutorial's tests need.
    assert f"framework-{framework.__version__}-py3-none-any.whl[testing]" in steps[0]


def test_the_tutorial_runs_as_written(wheel_venv, framework_wheel, tmp_path):
    text = TUTORIAL.read_text()
    bin_dir = wheel_venv.parent
    env = clean_environ(PATH=f"{bin_dir}:{clean_environ()['PATH']}", VIRTUAL_ENV=str(bin_dir.parent), **USER)
    cwd, server = tmp_path, None
    for command in commands(text):
        words = shlex.split(command)
        if words[:2] == ["pip", "install"]:
            extras = words[2].partition("[")[2]
            words = ["pip", "install", "-q", f"{framework_wheel}[{extras}" if extras else str(framework_wheel)]
        elif words[0] == "cd":
            cwd = cwd / words[1]
            continue
        elif words[-1] == "createsuperuser":
            words.append("--noinput")
        elif words[-1] == "runserver":
            server = [*words, f"127.0.0.1:{free_port()}", "--noreload"]
            continue
        result = run(words, cwd=cwd, env=env)
        assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    assert server is not None, "the tutorial runs the server last"

    port = int(server[-2].rpartition(":")[2])
    with serving(server, cwd=cwd, port=port, env=env) as url:
        browser = Browser(url)
        # The front door links to the docs, which describe the books' endpoints.
        assert b'href="%s/api/docs/"' % url.encode() in browser.request("GET", "/")[1]
        schema = json.loads(browser.request("GET", "/api/schema/?format=json")[1])
        assert {"get", "post"} <= schema["paths"]["/api/v1/books/"].keys()
        assert {"get", "put", "patch", "delete"} <= schema["paths"]["/api/v1/books/{id}/"].keys()

        assert browser.json("GET", "/api/v1/books/")[0] == 401  # not signed in yet
        browser.sign_in(USER["DJANGO_SUPERUSER_USERNAME"], USER["DJANGO_SUPERUSER_PASSWORD"])
        browser.open_swagger_ui()
        status, book = browser.json("POST", "/api/v1/books/", BOOK)
        assert status == 201, book
        assert {name: book[name] for name in BOOK} == BOOK
        status, page = browser.json("GET", "/api/v1/books/")
        assert status == 200 and [item["id"] for item in page["results"]] == [book["id"]]
        status, changed = browser.json("PATCH", f"/api/v1/books/{book['id']}/", {"title": "Dune Messiah"})
        assert status == 200 and changed["title"] == "Dune Messiah"
        assert browser.json("DELETE", f"/api/v1/books/{book['id']}/")[0] == 204

        # From a program, as the page's curl lines do: a token, then the call.
        program = Browser(url)
        credentials = {"username": USER["DJANGO_SUPERUSER_USERNAME"], "password": USER["DJANGO_SUPERUSER_PASSWORD"]}
        status, tokens = program.request("POST", "/api/v1/auth/token/", body=json.dumps(credentials).encode(), headers={"Content-Type": "application/json"})
        assert status == 200, tokens
        access = json.loads(tokens)["access"]
        status, content = program.request(
            "POST", "/api/v1/books/", body=json.dumps(BOOK).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {access}"},
        )
        assert status == 201, content

    # Its tests pass at once; then the rule of its second part, in the files it edits, passes too.
    result = run(["python", "manage.py", "test", "-q", "-p", "no:cacheprovider"], cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    for name, code in edited_files(text).items():
        (cwd / name).write_text(code)
    result = run(["python", "manage.py", "test", "-q", "-p", "no:cacheprovider", "library"], cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_rules.py" in subprocess.run(
        ["python", "manage.py", "test", "--collect-only", "-q", "library"], cwd=cwd, env=env, capture_output=True, text=True
    ).stdout
