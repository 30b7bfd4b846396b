"""docs/custom-user-model.md, followed in a new project: its files written as the page shows them, its commands run."""

from __future__ import annotations

import re
import shlex

import pytest

from tests.e2e.conftest import BIN, BOOK_FIELDS, REPOSITORY, manage, run

pytestmark = pytest.mark.e2e

PAGE = REPOSITORY / "docs" / "custom-user-model.md"
# The admin's search of API keys and rights, the token endpoint, and the notes list with a token and with an API key,
# as a superuser signed in by the login field.
SIGN_IN = """
import json
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
User = get_user_model()
login = {User.USERNAME_FIELD: "root@example.com", "password": "a long passphrase"}
admin = User.objects.create_superuser(**login)
client = Client()
client.force_login(admin)
for path in ("/admin/framework_auth/apikey/?q=root", "/admin/framework_auth/right/?q=root",
             "/admin/accounts/user/?q=root", "/admin/accounts/user/add/", f"/admin/accounts/user/{admin.pk}/change/"):
    print(path, client.get(path).status_code)
token = Client().post("/api/v1/auth/token/", json.dumps(login), content_type="application/json")
print("token", token.status_code)
# The custom model's user, read by a JWT's lookup and an API key's (framework.auth.lookup).
from framework.auth import create_api_key
_, key = create_api_key(admin, "e2e")
for header in (f"Bearer {token.json()['access']}", f"Api-Key {key}"):
    print(header.split()[0], Client().get("/api/v1/notes/", HTTP_AUTHORIZATION=header).status_code)
"""
SIGNED_IN = [
    "/admin/framework_auth/apikey/?q=root", "200", "/admin/framework_auth/right/?q=root", "200",
    "/admin/accounts/user/?q=root", "200", "/admin/accounts/user/add/", "200", "/admin/accounts/user/1/change/", "200",
    "token", "200", "Bearer", "200", "Api-Key", "200",
]


def follow(page: str, project, section: str = "## The steps", replaced: dict[str, str] | None = None) -> None:
    """Write the section's files (or their replacements) and run its commands."""
    steps = page.split(section, 1)[1].split("\n## ", 1)[0]
    for kind, title, code in re.findall(r'^```(sh|python)(?: title="([^"]+)")?\n(.*?)^```$', steps, re.MULTILINE | re.DOTALL):
        if kind == "python":
            (project / title).write_text((replaced or {}).get(title, code))
            continue
        for command in filter(None, map(str.strip, code.splitlines())):
            words = shlex.split(command)
            assert words[:2] == ["python", "manage.py"], command
            result = manage(project, *words[2:])
            assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"


def new_project(tmp_path):
    assert run([str(BIN / "framework-admin"), "startproject", "mysite"], cwd=tmp_path).returncode == 0
    return tmp_path / "mysite"


def test_a_project_with_the_pages_user_model_migrates_and_passes_its_tests(tmp_path):
    project = new_project(tmp_path)
    follow(PAGE.read_text(), project)

    result = manage(project, "shell", "--no-imports", "-c", "from django.contrib.auth import get_user_model; print(get_user_model()._meta.label)")
    assert result.stdout.strip() == "accounts.User", result.stderr
    # An app startapp renders owns its rows through the custom model, and every test passes.
    result = run([str(BIN / "framework-admin"), "startapp", "library", "--model", "Book", "--fields", BOOK_FIELDS], cwd=project)
    assert result.returncode == 0, result.stderr
    assert manage(project, "migrate").returncode == 0
    result = manage(project, "test", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    result = manage(project, "shell", "--no-imports", "-c", SIGN_IN)
    assert result.stdout.split() == SIGNED_IN, result.stderr


def test_a_project_whose_users_sign_in_by_email_migrates_and_passes_its_tests(tmp_path):
    page = PAGE.read_text()
    section = page.split("## Signing in by email", 1)[1]
    replaced = dict(re.findall(r'^```python title="([^"]+)"\n(.*?)^```$', section, re.MULTILINE | re.DOTALL))
    assert set(replaced) == {"accounts/models.py", "accounts/admin.py"}
    project = new_project(tmp_path)

    follow(page, project, replaced=replaced)

    assert "USERNAME_FIELD = \"email\"" in (project / "accounts" / "models.py").read_text()
    result = manage(project, "test", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    result = manage(project, "shell", "--no-imports", "-c", SIGN_IN)
    assert result.stdout.split() == SIGNED_IN, result.stderr
