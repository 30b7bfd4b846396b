from datetime import timedelta

import pytest

from framework.conf import Schema, SettingsError, configure, load, setting
from framework.conf.environment import Environment
from framework.conf.loader import MISSPELLED
from framework.conf.schemas.database import SQLITE_FOLDER_MISSING
from framework.conf.schemas import BUILTIN_SCHEMAS, CoreSettings, DatabaseSettings, ServerSettings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2!m9vz$w4p8r1t6y3u0e5a2s9d8f7g6h5j4k3l2z1x0c9v8b7n6m",
    "ALLOWED_HOSTS": "api.example.com",
}


def load_from(environ, schemas=BUILTIN_SCHEMAS, base_dir=None):
    return load(schemas, Environment(base_dir, environ=environ))


def problems_of(environ, **kwargs):
    with pytest.raises(SettingsError) as caught:
        load_from(environ, **kwargs)
    return {problem.variable: problem for problem in caught.value.problems}, str(caught.value)


def test_values_are_typed():
    loaded = load_from({**PRODUCTION, "PORT": "9000", "ALLOWED_HOSTS": "a.example, b.example", "JWT_ACCESS_TOKEN_LIFETIME": "60"})

    assert loaded[ServerSettings].PORT == 9000
    assert loaded[CoreSettings].ALLOWED_HOSTS == ["a.example", "b.example"]
    assert loaded[CoreSettings].DEBUG is False
    assert str(loaded[CoreSettings].TIME_ZONE) == "UTC"
    assert [s.JWT_ACCESS_TOKEN_LIFETIME for s in loaded.values() if hasattr(s, "JWT_ACCESS_TOKEN_LIFETIME")] == [
        timedelta(seconds=60)
    ]


def test_lists_also_accept_json():
    loaded = load_from({**PRODUCTION, "ALLOWED_HOSTS": '["a.example", "b.example"]'})

    assert loaded[CoreSettings].ALLOWED_HOSTS == ["a.example", "b.example"]


def test_an_empty_value_counts_as_unset():
    loaded = load_from({**PRODUCTION, "PORT": "", "DATABASE_URL": ""})

    assert loaded[ServerSettings].PORT == 8000


def test_every_problem_is_reported_at_once():
    problems, message = problems_of({**PRODUCTION, "DEBUG": "maybe", "PORT": "eighty", "DATABASE_URL": "postgress://x"})

    assert set(problems) == {"DEBUG", "PORT", "DATABASE_URL"}
    assert message.startswith("The settings have 3 problems:")
    assert "DEBUG='maybe' (from environment): expected a boolean" in message
    assert "PORT='eighty' (from environment): expected a whole number" in message
    assert "DATABASE_URL='postgress://x' (from environment): unknown scheme 'postgress'" in message


def test_problem_names_the_file_a_value_came_from(tmp_path):
    (tmp_path / ".env").write_text("PORT=eighty\n")

    problems, _ = problems_of(PRODUCTION, base_dir=tmp_path)

    assert problems["PORT"].source == ".env"


def test_secret_values_are_masked_in_errors():
    class Payments(Schema, env_prefix="PAYMENTS_"):
        API_KEY: int = setting(0, "An API key.", secret=True)

    problems, message = problems_of({"PAYMENTS_API_KEY": "sk-live-123"}, schemas=[Payments])

    assert problems["PAYMENTS_API_KEY"].value == "********"
    assert "sk-live-123" not in message


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgress://app:hunter2@db/app", "postgress://app:********@db/app"),
        ("postgres://app:hun/ter#2@db:x/app", "postgres://app:********@db:x/app"),
        ("postgress://app:hun@ter2@db/app", "postgress://app:********@db/app"),
        ("postgress://app:hun:ter2@db/app", "postgress://app:********@db/app"),
        ("postgress://app:hun%2Fter2@db/app", "postgress://app:********@db/app"),
    ],
)
def test_url_passwords_are_masked_in_errors(url, shown):
    _, message = problems_of({**PRODUCTION, "DATABASE_URL": url})

    assert "hun" not in message and "ter2" not in message and "ter#2" not in message
    assert shown in message


def test_checks_across_fields_still_run_when_an_unrelated_field_is_invalid():
    problems, _ = problems_of({"DEBUG": "false", "TIME_ZONE": "Mars/Base", "SECRET_KEY": "django-insecure-x"})

    assert set(problems) == {"TIME_ZONE", "SECRET_KEY", "ALLOWED_HOSTS"}


def test_checks_across_fields_do_not_run_on_a_default_standing_in_for_an_invalid_value():
    problems, _ = problems_of({"DEBUG": "maybe", "SECRET_KEY": "django-insecure-x"})

    assert set(problems) == {"DEBUG"}


def test_a_set_secret_file_is_read_even_when_a_higher_source_wins(tmp_path):
    (tmp_path / ".env").write_text(f"SECRET_KEY={PRODUCTION['SECRET_KEY']}\n")

    problems, _ = problems_of({**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": "/no/such/file"}, base_dir=tmp_path)

    assert set(problems) == {"SECRET_KEY_FILE"}


def test_unreadable_secret_file_is_a_problem():
    problems, message = problems_of({**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": "/no/such/file"})

    assert "SECRET_KEY_FILE" in problems
    assert "'/no/such/file'" in message and "No such file" in message


def test_secret_read_from_a_file(tmp_path):
    (tmp_path / "key").write_text(PRODUCTION["SECRET_KEY"] + "\n")

    loaded = load_from({**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(tmp_path / "key")})

    assert loaded[CoreSettings].SECRET_KEY == PRODUCTION["SECRET_KEY"]


def test_project_schema_with_a_prefix_becomes_a_dict_setting(tmp_path):
    class Payments(Schema, env_prefix="PAYMENTS_"):
        title = "Payments"
        API_URL: str = setting("https://pay.example", "Payment provider.")
        TIMEOUT: int = setting(5, "Seconds.")

    settings_module = tmp_path / "mysite" / "settings.py"
    namespace = {"__file__": str(settings_module), "__name__": "mysite.settings"}
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=dev\nPAYMENTS_TIMEOUT=9\n")

    configure(namespace, schemas=[Payments])

    assert namespace["PAYMENTS"] == {"API_URL": "https://pay.example", "TIMEOUT": 9}
    assert namespace["BASE_DIR"] == tmp_path
    assert namespace["ROOT_URLCONF"] == "mysite.urls"
    assert namespace["FRAMEWORK"]["SCHEMAS"][-1].endswith("Payments")


def test_configure_copies_the_defaults(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=dev\n")
    first = {"__file__": str(tmp_path / "a" / "settings.py"), "__name__": "a.settings"}
    second = dict(first)

    configure(first)
    first["INSTALLED_APPS"] += ["notes"]
    configure(second)

    assert "notes" not in second["INSTALLED_APPS"]


def test_schema_repr_masks_secrets_and_url_passwords():
    core = CoreSettings.model_validate({"SECRET_KEY": "s3cret-value", "DEBUG": "true"})
    database = DatabaseSettings.model_validate({"URL": "postgres://app:hunter2@db/app"})

    assert "s3cret-value" not in repr(core)
    assert "SECRET_KEY='********'" in repr(core)
    assert "hunter2" not in repr(database)


@pytest.mark.parametrize(
    ("line", "variable"), [("garbage", "garbage"), ("DEBUG false", "DEBUG"), ("TITLE='unterminated", "TITLE")]
)
def test_an_unparseable_env_line_with_debug_off_is_an_error_naming_file_line_and_variable(tmp_path, line, variable):
    (tmp_path / ".env.default").write_text(f"PORT=8000\n{line}\n")

    problems, message = problems_of(PRODUCTION, base_dir=tmp_path)

    assert set(problems) == {variable}
    assert f"{variable}: line 2 of .env.default cannot be parsed" in message


def test_an_unparseable_env_line_with_debug_on_is_left_to_the_system_check(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=dev\nDEBUG false\n")

    assert load_from({}, base_dir=tmp_path)[CoreSettings].DEBUG is True


def test_a_secret_cut_at_an_unquoted_comment_with_debug_off_is_an_error(tmp_path):
    key = PRODUCTION["SECRET_KEY"]
    (tmp_path / ".env").write_text(f"SECRET_KEY={key[:30]} #{key[30:]}\n")

    problems, message = problems_of({**PRODUCTION, "SECRET_KEY": ""}, base_dir=tmp_path)

    assert "SECRET_KEY: line 1 of .env: the unquoted value ends at ' #'" in message
    assert key[30:] not in message


def test_a_comment_after_a_setting_that_is_not_secret_is_not_an_error(tmp_path):
    (tmp_path / ".env").write_text("PORT=9000  # the port\nSECRET_KEY='a#b c' \n")

    assert load_from(PRODUCTION, base_dir=tmp_path)[ServerSettings].PORT == 9000


# With DEBUG off, a misspelled variable and an SQLite file in a missing folder are settings problems too,
# reported with the others (with DEBUG on, the system checks framework.W001 and framework.E005).


def test_a_misspelled_variable_with_debug_off_is_a_settings_problem():
    problems, message = problems_of({**PRODUCTION, "DATABSE_URL": "postgres://app@db/app"})

    assert set(problems) == {"DATABSE_URL"}
    assert "DATABSE_URL: " + MISSPELLED.format(candidate="DATABASE_URL") in message


def test_a_setting_whose_own_name_ends_in_file_is_no_settings_problem():
    load_from({**PRODUCTION, "CELERY_WORKER_HEARTBEAT_FILE": "/tmp/heartbeat"})


def test_an_sqlite_file_in_a_missing_folder_with_debug_off_is_a_settings_problem():
    problems, message = problems_of({**PRODUCTION, "DATABASE_URL": "sqlite:////no/such/dir/x.db"})

    assert set(problems) == {"DATABASE_URL"}
    expected = SQLITE_FOLDER_MISSING.format(path="/no/such/dir/x.db", folder="/no/such/dir")
    assert f"DATABASE_URL='sqlite:////no/such/dir/x.db' (from environment): {expected}" in message


def test_an_sqlite_file_in_an_existing_folder_passes(tmp_path):
    load_from({**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_with_debug_on_misspellings_and_sqlite_folders_are_left_to_the_system_checks():
    load_from({"DEBUG": "true", "SECRET_KEY": "dev", "DATABSE_URL": "x", "DATABASE_URL": "sqlite:////no/such/x.db"})


def test_every_production_problem_is_reported_together(tmp_path):
    (tmp_path / ".env").write_text("garbage\n")

    problems, message = problems_of(
        {**PRODUCTION, "SECRET_KEY": "abc", "DATABSE_URL": "postgres://app@db/app", "DATABASE_URL": "sqlite:////no/such/x.db"},
        base_dir=tmp_path,
    )

    assert set(problems) == {"SECRET_KEY", "garbage", "DATABSE_URL", "DATABASE_URL"}
    assert message.startswith("The settings have 4 problems:")
