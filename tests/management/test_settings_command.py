from io import StringIO

from django.core.management import call_command

from framework.conf import Schema, setting
from framework.conf.reference import markdown
from framework.conf.schemas import BUILTIN_SCHEMAS


def run(*args):
    out = StringIO()
    call_command("settings", *args, stdout=out, no_color=True)
    return out.getvalue()


def test_lists_every_variable_with_its_source(settings, tmp_path, monkeypatch):
    settings.BASE_DIR = tmp_path
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\nSECRET_KEY=django-insecure-do-not-print-me\n")
    monkeypatch.setenv("PORT", "9001")

    lines = {line.split()[0]: line.split() for line in run().splitlines()}

    assert lines["PORT"][1:] == ["9001", "environment"]
    assert lines["LOG_LEVEL"][1:] == ["debug", ".env"]
    assert lines["TIME_ZONE"][1:] == ["UTC", "default"]
    assert lines["SECRET_KEY"][1:] == ["********", ".env"]


def test_secret_key_is_never_printed(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    (tmp_path / ".env").write_text("SECRET_KEY=django-insecure-do-not-print-me\n")

    assert "do-not-print-me" not in run()


def test_markdown_prints_the_reference():
    from framework.conf.schemas.services import ServiceSettings

    assert run("--markdown") == markdown([*BUILTIN_SCHEMAS, ServiceSettings])


def test_a_secret_default_is_masked_too(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.FRAMEWORK = {**settings.FRAMEWORK, "SCHEMAS": [*settings.FRAMEWORK["SCHEMAS"], f"{__name__}.Tokens"]}

    line = next(line for line in run().splitlines() if line.startswith("SERVICE_TOKEN"))

    assert line.split() == ["SERVICE_TOKEN", "********", "default"]


class Tokens(Schema):
    SERVICE_TOKEN: str = setting("dev-token-123", "A token.", secret=True)


def test_values_decided_by_redis_url_are_shown_with_it_as_their_source(settings, tmp_path, monkeypatch):
    settings.BASE_DIR = tmp_path
    (tmp_path / ".env").write_text("REDIS_URL=redis://:pa/ss@cache:6379/0\nCELERY_RESULT_BACKEND=django-db\n")

    lines = {line.split()[0]: line.split() for line in run().splitlines()}

    assert lines["REDIS_URL"][1:] == ["redis://:********@cache:6379/0", ".env"]
    assert lines["CACHE_URL"][1:] == ["redis://:********@cache:6379/0", "REDIS_URL", "(.env)"]
    assert lines["CELERY_BROKER_URL"][1:] == ["redis://:********@cache:6379/0", "REDIS_URL", "(.env)"]
    # Set itself, it is what it says.
    assert lines["CELERY_RESULT_BACKEND"][1:] == ["django-db", ".env"]


def test_without_redis_url_the_value_in_effect_is_the_fallback(settings, tmp_path):
    settings.BASE_DIR = tmp_path

    lines = {line.split()[0]: line for line in run().splitlines()}

    assert lines["CACHE_URL"].split() == ["CACHE_URL", "locmem://", "default"]
    assert "the project's .tasks folder" in lines["CELERY_BROKER_URL"]


def test_the_jwt_key_shows_the_secret_key_it_defaults_to_masked(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    (tmp_path / ".env").write_text("SECRET_KEY=django-insecure-do-not-print-me\n")

    line = next(line for line in run().splitlines() if line.startswith("JWT_SIGNING_KEY"))

    assert line.split() == ["JWT_SIGNING_KEY", "********", "SECRET_KEY", "(.env)"]
