"""A generated project, used the way its README says: check, migrate, test, runserver, settings."""

import json
import secrets
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import BIN, clean_environ, free_port, manage, run, serving
from tests.services import postgres_url, require

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "api.example.com",
    "DATABASE_URL": "postgres://app:password@127.0.0.1:5432/app",
    # Django 6.1's deploy check refuses the console mailer (mail.E001): production sends email.
    "EMAIL_URL": "smtp+tls://app:password@mail.example:587",
}


#: Deprecation warnings as errors, in every process a command starts (the task worker's too): the
#: framework uses nothing deprecated on either Django line (Django 6.1's RemovedInDjango2028Warning
#: is a PendingDeprecationWarning).
DEPRECATIONS_AS_ERRORS = {"PYTHONWARNINGS": "error::DeprecationWarning,error::PendingDeprecationWarning"}


def test_check_passes(project):
    result = manage(project, "check", **DEPRECATIONS_AS_ERRORS)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_its_own_tests_pass_with_deprecations_as_errors(project):
    result = manage(project, "test", "-v", "-p", "no:cacheprovider", **DEPRECATIONS_AS_ERRORS)

    assert result.returncode == 0, result.stdout + result.stderr
    # The notes app and the app made by startapp both ran.
    assert "notes/tests/test_api.py::test_list_shows_only_own_notes_in_a_page_envelope PASSED" in result.stdout
    assert "library/tests/test_api.py::test_create_stores_the_fields_and_the_requesting_user_as_owner PASSED" in result.stdout


def test_its_own_tests_pass_on_postgresql(project):
    require("PostgreSQL", "127.0.0.1", 5432)

    result = manage(project, "test", "-q", "-p", "no:cacheprovider", DATABASE_URL=postgres_url("e2e"))

    assert result.returncode == 0, result.stdout + result.stderr


def test_startapp_wrote_the_migration_makemigrations_would_write(project):
    result = manage(project, "makemigrations", "--check", "--dry-run")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


LIST_QUERY_PLAN = """
import json
from django.db import connection
from library.models import Book
from notes.models import Note
from notes.selectors import owned_by
plans = {}
for name, rows in (("notes", owned_by(Note.objects.all(), 1)), ("library", Book.objects.filter(owner=1))):
    sql, params = rows.values("id", "created_at")[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plans[name] = " ".join(str(row[-1]) for row in cursor.fetchall())
print(json.dumps(plans))
"""


def test_an_owners_list_reads_its_index_instead_of_sorting(project):
    result = manage(project, "shell", "-c", LIST_QUERY_PLAN)

    assert result.returncode == 0, result.stderr
    plans = json.loads(result.stdout.strip().splitlines()[-1])
    assert "INDEX notes_note_owner_newest" in plans["notes"] and "ORDER BY" not in plans["notes"], plans
    assert "INDEX library_book_owner_newest" in plans["library"] and "ORDER BY" not in plans["library"], plans


def test_runserver_serves_the_site_and_the_api(project):
    port = free_port()
    args = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with serving(args, cwd=project, port=port) as url:
        assert urllib.request.urlopen(url + "/admin/login/", timeout=5).status == 200
        # The front door in DEBUG (.env turns it on): where the docs and the admin are.
        front_door = urllib.request.urlopen(url + "/", timeout=5).read().decode()
        assert f'href="{url}/api/docs/"' in front_door and f'href="{url}/admin/"' in front_door
        index = json.loads(urllib.request.urlopen(url + "/api/", timeout=5).read())
        assert index["versions"] == {"v1": f"{url}/api/v1/"}
        assert "/api/v1/books/" in urllib.request.urlopen(index["schema"], timeout=5).read().decode()
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + "/api/v1/notes/", timeout=5)
        body = json.loads(refused.value.read())

    assert refused.value.code == 401
    assert "detail" in body


def test_bad_settings_are_listed_at_once_without_a_traceback(project):
    result = manage(project, "check", DEBUG="maybe", PORT="eighty")

    assert result.returncode == 1
    assert "DEBUG='maybe' (from environment)" in result.stderr
    assert "PORT='eighty' (from environment)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"DATABASE_URL": "postgress://x"}, "DATABASE_URL='postgress://x' (from environment): unknown scheme"),
        ({"CACHE_URL": "redis://:6379:bad"}, "CACHE_URL='redis://:6379:bad' (from environment): the port"),
        ({"EMAIL_URL": "smtp://host:notaport"}, "EMAIL_URL='smtp://host:notaport' (from environment): the port"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS: is empty"),
        ({"SECRET_KEY_FILE": "/no/such/file"}, "SECRET_KEY_FILE='/no/such/file' (from environment): cannot read"),
    ],
)
def test_each_bad_value_stops_runserver_with_its_name(project, environ, named):
    result = manage(project, "runserver", "--noreload", **environ)

    assert result.returncode == 1
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert "Starting development server" not in result.stdout


def test_debug_off_refuses_the_development_key(project):
    result = manage(project, "check", DEBUG="false")

    assert result.returncode == 1
    assert "SECRET_KEY='********' (from .env): is a development key" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_option_chooses_the_settings_module(project):
    (project / "mysite" / "other.py").write_text("from .settings import *  # noqa\nLANGUAGE_CODE = 'fr'\n")

    result = manage(project, "shell", "-c", "from django.conf import settings; print(settings.LANGUAGE_CODE)", "--settings=mysite.other")

    assert result.stdout.strip().splitlines()[-1] == "fr", result.stderr


def test_settings_command_masks_the_secret_key(project):
    result = manage(project, "settings")

    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("SECRET_KEY "))
    assert line.split() == ["SECRET_KEY", "********", ".env"]
    assert "django-insecure-" not in result.stdout


def test_settings_reference_is_the_committed_one(project):
    assert manage(project, "settings", "--markdown").stdout == DOCS.read_text()


def test_deploy_check_is_clean_with_production_settings(project):
    result = manage(project, "check", "--deploy", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_shows_the_framework_s_database_warning_on_every_django(project):
    # Django 6 leaves out checks tagged `database` unless --database is given: the framework's are not tagged so.
    production_on_sqlite = {name: value for name, value in PRODUCTION.items() if name != "DATABASE_URL"}

    result = manage(project, "check", "--deploy", **production_on_sqlite)

    framework_lines = [line for line in result.stderr.splitlines() if "framework." in line]
    assert framework_lines == ["?: (framework.W002) The database is SQLite while DEBUG is off."], result.stderr


def test_the_project_s_requirements_admit_both_django_lines(project):
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    metadata = tomllib.loads((project / "pyproject.toml").read_text())
    project_requirements = [Requirement(line) for line in metadata["project"]["dependencies"]]
    framework_django = next(
        Requirement(line) for line in requires("framework") if Requirement(line).name.lower() == "django"
    )

    # The project leaves Django's version to the framework, whose range holds 5.2 LTS and 6.1.
    assert [requirement.name for requirement in project_requirements] == ["framework"]
    assert metadata["project"]["requires-python"] == ">=3.11"
    assert framework_django.specifier.contains("5.2.19") and framework_django.specifier.contains("6.1.3")


def test_installed_wheel_carries_the_templates(wheel_site, wheel_project):
    """`pip install <wheel>` gives a framework-admin that renders projects from the installed package."""
    # The wheel's framework comes first on the path; its dependencies are this environment's.
    site = wheel_site["PYTHONPATH"]
    result = run([sys.executable, "-c", "import framework, sys; print(framework.__file__)"], cwd=wheel_project, env=wheel_site)
    assert result.stdout.startswith(site)
    result = run([sys.executable, "-c", "from framework.management.render import template_dir; print(template_dir('project'))"], cwd=wheel_project, env=wheel_site)
    assert result.stdout.startswith(site)
    result = run([sys.executable, "manage.py", "check"], cwd=wheel_project, env=wheel_site)
    assert result.returncode == 0, result.stderr
