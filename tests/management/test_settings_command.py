from io import StringIO

from django.core.management import call_command

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
