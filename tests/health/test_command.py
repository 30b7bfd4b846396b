import io

import pytest
from django.core import checks
from django.core.management import CommandError, call_command


def run(*args):
    stdout = io.StringIO()
    call_command("health", *args, stdout=stdout)
    return stdout.getvalue()


def test_without_options_it_says_alive():
    output = run()

    assert "tests" in output and "alive" in output


@pytest.mark.django_db
def test_ready_prints_a_table_of_the_checks():
    output = run("--ready")

    rows = {line.split()[0]: line.split()[1] for line in output.splitlines()[2:-1]}
    assert rows == {"database": "ok", "cache": "ok", "broker": "ok", "outbox": "ok", "migrations": "ok"}
    assert output.splitlines()[-1] == "ready"


@pytest.mark.django_db
def test_a_failure_exits_1_naming_it_with_its_detail(register):
    @register
    def search():
        raise ConnectionError("search.internal:9200 refused")

    stdout = io.StringIO()
    with pytest.raises(CommandError, match="^not ready: search$"):
        call_command("health", "--ready", stdout=stdout)

    assert "ConnectionError: search.internal:9200 refused" in stdout.getvalue()


@pytest.mark.django_db
def test_warnings_do_not_fail(register):
    @register
    def disk():
        return [checks.Warning("disk 91% full")]

    output = run("--ready")

    assert "disk 91% full" in output and output.splitlines()[-1] == "ready"
