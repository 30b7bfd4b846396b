import pytest
from django.core import checks
from django.test import override_settings

from framework.conf import Schema, setting
from framework.conf.checks import (
    E002,
    E004,
    E005,
    W001,
    W002,
    W003,
    check_env_files,
    check_sqlite_folder,
    check_framework_keys,
    check_misspelled_variables,
    check_moved_settings,
    check_production_database,
)
from framework.conf.loader import schema_path

POSTGRES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
# These checks only read the ENGINE; no connection is made to the overridden databases.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

SQLITE = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}


@pytest.fixture
def project_dir(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    settings.DEBUG = True
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


def test_a_misspelled_variable_with_debug_off_is_an_error(project_dir, settings):
    settings.DEBUG = False
    (project_dir / ".env").write_text("DATABSE_URL=postgres://db/app\n")

    [error] = [message for message in check_misspelled_variables() if "DATABSE_URL" in message.msg]

    assert (error.id, error.level) == ("framework.E004", checks.ERROR)
    assert error.msg == E004.format(name="DATABSE_URL", candidate="DATABASE_URL")
    assert "Rename it to DATABASE_URL" in error.hint


def test_a_setting_whose_own_name_ends_in_file_is_not_a_misspelling(project_dir):
    (project_dir / ".env").write_text("CELERY_WORKER_HEARTBEAT_FILE=/tmp/heartbeat\n")

    assert [w.msg for w in check_misspelled_variables() if "HEARTBEAT" in w.msg] == []


def test_the_former_name_of_a_renamed_setting_is_not_a_misspelling(project_dir, settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "SCHEMAS": [*settings.FRAMEWORK["SCHEMAS"], schema_path(Renamed)]}
    (project_dir / ".env").write_text("PAYMENT_TIMEOUT=3\n")

    assert [w.msg for w in check_misspelled_variables() if "PAYMENT" in w.msg] == []


class Renamed(Schema):
    PAYMENTS_TIMEOUT: int = setting(5, "Seconds.", renamed_from={"PAYMENT_TIMEOUT": "9.0.0"})


def test_an_unparseable_env_line_with_debug_on_is_a_warning_naming_file_line_and_variable(project_dir):
    (project_dir / ".env").write_text("DEBUG=true\nDEBUG false\n")

    [warning] = check_env_files()

    assert warning.id == "framework.W005"
    assert warning.msg.startswith("DEBUG: line 2 of .env cannot be parsed")


def test_a_value_cut_at_a_comment_is_a_warning(project_dir):
    (project_dir / ".env.default").write_text("SERVICE_NAME=notes #api\n")

    [warning] = check_env_files()

    assert warning.id == "framework.W006"
    assert warning.msg.startswith("SERVICE_NAME: line 1 of .env.default: the unquoted value ends at ' #'")


@pytest.mark.parametrize("name", ["/no/such/dir/x.db", "/no/such/x.db"])
def test_an_sqlite_file_in_a_missing_folder_is_an_error(settings, name):
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}}

    [error] = check_sqlite_folder()

    assert (error.id, error.msg) == ("framework.E005", E005.format(path=name, folder=name.rpartition("/")[0]))


def test_an_sqlite_file_in_an_existing_folder_passes(settings, tmp_path):
    settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")}}

    assert check_sqlite_folder() == []


def test_known_and_unrelated_variables_are_not_reported(project_dir):
    names = ["DATABASE_URL", "SECRET_KEY_FILE", "HOSTNAME", "MY_APP_FLAG", "DATABASE_USER"]
    (project_dir / ".env").write_text("".join(f"{name}=x\n" for name in names))

    # Only what .env sets: this machine's own environment may hold anything.
    reported = [w.msg for w in check_misspelled_variables() if w.msg.split()[0] in names]
    assert reported == []


@override_settings(DATABASES=SQLITE, DEBUG=False)
def test_sqlite_in_production_is_a_deploy_warning():
    assert [(w.id, w.msg) for w in check_production_database()] == [("framework.W002", W002)]


@override_settings(DATABASES=POSTGRES, DEBUG=False)
def test_postgres_in_production_passes_the_deploy_check():
    assert check_production_database() == []


def test_checks_are_registered():
    registered = {check.__name__ for check in checks.registry.registry.get_checks(include_deployment_checks=True)}

    assert {
        "check_misspelled_variables", "check_production_database", "check_framework_keys",
        "check_moved_settings", "check_env_files", "check_sqlite_folder",
    } <= registered


def test_no_framework_check_is_tagged_database():
    # Django 6 runs `database` checks only with --database; these read settings, and must run in every `check`.
    framework_checks = [
        check for check in checks.registry.registry.get_checks(include_deployment_checks=True)
        if check.__module__.startswith("framework.")
    ]

    assert framework_checks
    assert [check.__name__ for check in framework_checks if checks.Tags.database in check.tags] == []


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
