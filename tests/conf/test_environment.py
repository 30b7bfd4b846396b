import pytest

from framework.conf.environment import Environment, UnreadableFile


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".env").write_text("PORT=8001\nDEBUG=true\nSECRET_KEY='a$b#c'\n")
    (tmp_path / ".env.default").write_text("PORT=8002\nHOST=0.0.0.0\nTIME_ZONE=UTC\n")
    return tmp_path


def test_process_environment_wins_over_files(project):
    value = Environment(project, environ={"PORT": "8000"}).get("PORT")

    assert (value.raw, value.source) == ("8000", "environment")


def test_dotenv_wins_over_dotenv_default(project):
    value = Environment(project, environ={}).get("PORT")

    assert (value.raw, value.source) == ("8001", ".env")


def test_dotenv_default_applies_when_nothing_else_sets_a_name(project):
    value = Environment(project, environ={}).get("HOST")

    assert (value.raw, value.source) == ("0.0.0.0", ".env.default")


def test_dotenv_values_are_taken_literally(project):
    # No interpolation and no comment stripping inside quotes: a secret is what the file says.
    assert Environment(project, environ={}).get("SECRET_KEY").raw == "a$b#c"


def test_unset_name_is_none(project):
    assert Environment(project, environ={}).get("NOT_SET") is None


def test_name_file_is_read_after_the_other_sources(project, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")

    environment = Environment(project, environ={"TOKEN_FILE": str(secret), "PORT_FILE": str(secret)})

    assert environment.get("TOKEN").raw == "from-a-file"
    assert environment.get("TOKEN").source == f"file {secret} (TOKEN_FILE)"
    # PORT is in .env, which comes before PORT_FILE.
    assert environment.get("PORT").raw == "8001"


def test_a_shadowed_name_file_is_still_read(project):
    environment = Environment(project, environ={"PORT_FILE": "/no/such/file"})

    with pytest.raises(UnreadableFile):
        environment.get("PORT")


def test_unreadable_name_file_names_the_variable_and_the_path(tmp_path):
    environment = Environment(tmp_path, environ={"SECRET_KEY_FILE": "/no/such/file"})

    with pytest.raises(UnreadableFile, match=r"SECRET_KEY_FILE='/no/such/file' \(from environment\): cannot read"):
        environment.get("SECRET_KEY")


def test_names_lists_every_layer(project):
    names = Environment(project, environ={"EXTRA": "1"}).names()

    assert {"EXTRA", "PORT", "DEBUG", "HOST", "TIME_ZONE"} <= names
