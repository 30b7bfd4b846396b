"""`manage.py test` runs pytest; without the testing extra, it says in one line which extra to install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from framework.management.commands.test import MISSING
from tests.e2e.conftest import clean_environ

ROOT = Path(__file__).resolve().parents[2]
#: The test tools of the testing extra, made unimportable as if they were not installed.
TOOLS = ("pytest", "pytest_django", "aiosmtpd")
WITHOUT_TOOLS = (
    "import sys\n"
    "sys.modules.update(dict.fromkeys({tools!r}))\n"
    "from framework.management import execute_from_command_line\n"
    "execute_from_command_line(['manage.py', *sys.argv[1:]])\n"
)


def manage_without_test_tools(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_TOOLS.format(tools=TOOLS), *args],
        cwd=ROOT,
        env=clean_environ(DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_the_testing_extra_the_command_names_it_in_one_line():
    result = manage_without_test_tools("test", "-q")

    assert result.returncode == 1
    assert result.stderr == f"CommandError: {MISSING.format(module='pytest')}\n"
    assert "pip install 'framework[testing]'" in result.stderr


@pytest.mark.parametrize("args", [("check",), ("check", "--deploy", "--fail-level", "ERROR"), ("help", "test")])
def test_the_project_runs_without_the_test_tools(args):
    result = manage_without_test_tools(*args)

    assert result.returncode == 0, result.stderr
