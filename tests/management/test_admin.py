"""`framework-admin` as a user runs it: a subprocess, its output and exit status."""

import subprocess
import sys

import pytest

import framework


def framework_admin(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "framework.management.admin", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
    )


def test_startproject_prints_the_next_commands(tmp_path):
    result = framework_admin("startproject", "mysite", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "cd mysite" in result.stdout
    assert "python manage.py migrate" in result.stdout
    assert (tmp_path / "mysite" / "mysite" / "settings.py").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["startproject", "1bad"], "'1bad' is not a valid project name"),
        (["startproject", "os"], "'os' conflicts with the name of an existing Python module"),
        (["startproject", "my-site"], "'my-site' is not a valid project name"),
        (["startproject", "mysite", "full"], "already exists and is not empty"),
        (["startproject", "mysite", "--colour"], "unrecognized arguments: --colour"),
        (["startproject"], "the following arguments are required: name"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("keep")

    result = framework_admin(*args, cwd=tmp_path)

    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["full", "keep.txt"]


def test_version():
    result = framework_admin("--version", cwd=".")

    assert result.stdout.strip() == f"framework {framework.__version__}"


def test_help_lists_the_commands():
    result = framework_admin("--help", cwd=".")

    assert result.returncode == 0
    assert "startproject" in result.stdout and "startapp" in result.stdout
