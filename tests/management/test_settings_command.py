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
    assert run("--markdown") == markdown(BUILTIN_SCHEMAS)


def test_a_secret_default_is_masked_too(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.FRAMEWORK = {**settings.FRAMEWORK, "SCHEMAS": [*settings.FRAMEWORK["SCHEMAS"], f"{__name__}.Tokens"]}

    line = next(line for line in run().splitlines() if line.startswith("SERVICE_TOKEN"))

    assert line.split() == ["SERVICE_TOKEN", "********", "default"]


class Tokens(Schema):
    SERVICE_TOKEN: str = setting("dev-token-123", "A token.", secret=True)
