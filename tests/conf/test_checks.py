import pytest
from django.core import checks
from django.test import override_settings

from framework.conf.checks import (
    E001,
    E002,
    W001,
    W002,
    W003,
    check_database_driver,
    check_framework_keys,
    check_misspelled_variables,
    check_moved_settings,
    check_production_database,
)

POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
# These checks only read the ENGINE; no connection is made to the overridden databases.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}


@pytest.fixture
def project_dir(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    return tmp_path


def test_misspelled_variable_in_dotenv_names_the_setting(project_dir):
    (project_dir / ".env").write_text("DATABSE_URL=postgres://db/app\n")

    warnings = check_misspelled_variables()

    assert [w.id for w in warnings] == ["framework.W001"]
    assert warnings[0].msg == W001.format(name="DATABSE_URL", candidate="DATABASE_URL")


def test_misspelled_variable_in_the_environment(project_dir, monkeypatch):
    monkeypatch.setenv("ALLOWED_HOST", "api.example.com")

    assert [w.msg for w in check_misspelled_variables()] == [
        W001.format(name="ALLOWED_HOST", candidate="ALLOWED_HOSTS")
    ]


def test_misspelled_file_variable_suggests_the_file_variable(project_dir, monkeypatch):
    monkeypatch.setenv("SECRET_KY_FILE", "/run/secrets/key")

    assert [w.msg for w in check_misspelled_variables()] == [
        W001.format(name="SECRET_KY_FILE", candidate="SECRET_KEY_FILE")
    ]


def test_known_and_unrelated_variables_are_not_reported(project_dir):
    names = ["DATABASE_URL", "SECRET_KEY_FILE", "HOSTNAME", "MY_APP_FLAG", "DATABASE_USER"]
    (project_dir / ".env").write_text("".join(f"{name}=x\n" for name in names))

    # Only what .env sets: this machine's own environment may hold anything.
    reported = [w.msg for w in check_misspelled_variables() if w.msg.split()[0] in names]
    assert reported == []


@override_settings(DATABASES=POSTGRES)
def test_postgres_without_a_driver_is_an_error(monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)

    errors = check_database_driver()

    assert [(e.id, e.msg) for e in errors] == [("framework.E001", E001.format(engine="PostgreSQL"))]
    assert "framework[postgres]" in errors[0].hint


@override_settings(DATABASES=POSTGRES)
def test_postgres_with_its_driver_passes():
    assert check_database_driver() == []


@override_settings(DATABASES=SQLITE, DEBUG=False)
def test_sqlite_in_production_is_a_deploy_warning():
    assert [(w.id, w.msg) for w in check_production_database()] == [("framework.W002", W002)]


@override_settings(DATABASES=POSTGRES, DEBUG=False)
def test_postgres_in_production_passes_the_deploy_check():
    assert check_production_database() == []


def test_checks_are_registered():
    registered = {check.__name__ for check in checks.registry.registry.get_checks(include_deployment_checks=True)}

    assert {
        "check_misspelled_variables", "check_database_driver", "check_production_database", "check_framework_keys",
        "check_moved_settings",
    } <= registered


def test_an_unknown_key_in_the_setting_is_a_system_error(settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "LOG_ACESS": False, "COLOUR": "blue"}

    errors = check_framework_keys()

    assert [error.id for error in errors] == ["framework.E002", "framework.E002"]
    assert all(error.level == checks.ERROR for error in errors)
    assert errors[0].msg == E002.format(key="LOG_ACESS") and errors[0].hint == "Did you mean 'LOG_ACCESS'?"
    assert errors[1].msg == E002.format(key="COLOUR") and "Remove it" in errors[1].hint


def test_the_configured_keys_pass_the_check():
    assert check_framework_keys() == []


def test_a_setting_that_moved_into_framework_is_a_warning_when_set_flat(settings):
    settings.LOG_ACCESS = False

    [warning] = check_moved_settings()

    assert (warning.id, warning.msg) == ("framework.W003", W003.format(name="LOG_ACCESS"))
    assert "FRAMEWORK['LOG_ACCESS']" in warning.hint


def test_the_configured_settings_set_nothing_that_moved():
    assert check_moved_settings() == []
