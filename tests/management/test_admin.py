"""`framework-admin` as a user runs it: a subprocess, its output and exit status."""

import subprocess
import sys
from pathlib import Path

import pytest

import framework

# The console script pip installs, as a user runs it (`python -m` would put the folder on sys.path).
FRAMEWORK_ADMIN = Path(sys.executable).parent / "framework-admin"


def framework_admin(*args, cwd):
    return subprocess.run(
        [str(FRAMEWORK_ADMIN), *args],
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


def snapshot(folder):
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def project(tmp_path):
    assert framework_admin("startproject", "mysite", cwd=tmp_path).returncode == 0
    return tmp_path / "mysite"


def test_startapp_in_a_project_adds_the_app_and_says_what_is_next(project):
    result = framework_admin("startapp", "library", "--model", "Book", "--fields", "title:str published:date", cwd=project)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        f"Created the app library in {project / 'library'}: Book at /api/v1/books/",
        'Added "library" to INSTALLED_APPS in mysite/settings.py',
    ]
    assert "python manage.py migrate" in result.stdout
    assert '"library",' in (project / "mysite" / "settings.py").read_text()
    assert "published = models.DateField()" in (project / "library" / "models.py").read_text()


def test_startapp_outside_a_project_prints_the_line_to_add(tmp_path):
    result = framework_admin("startapp", "library", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert 'INSTALLED_APPS += ["library"]' in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "book"], "'book' is not a model name: use a Python class name in CapWords, such as Book"),
        (["--model", "Book Shelf"], "'Book Shelf' is not a model name"),
        (["--model", "Library"], "the model 'Library' has the name of its app"),
        (["--fields", "title:str pages"], "--fields: 'pages' is not name:type"),
        (["--fields", "title:varchar"], "--fields: 'title:varchar' has an unknown type 'varchar'"),
        (["--model", "Note"], "/api/v1/notes/ is taken already by notes/api.py"),
        (["--model", "Book", "--fields"], "argument --fields: expected one argument"),
    ],
)
def test_startapp_bad_input_is_one_line_and_writes_nothing(project, args, message):
    name = "Library" if "Library" in args else "library"
    before = snapshot(project)

    result = framework_admin("startapp", name, *args, cwd=project)

    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
    assert snapshot(project) == before


def test_startproject_writes_the_framework_requirement_chosen(tmp_path):
    result = framework_admin("startproject", "mysite", "--framework", "framework>=0.2,<1", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "It depends on framework>=0.2,<1" in result.stdout
    assert '    "framework>=0.2,<1",\n' in (tmp_path / "mysite" / "pyproject.toml").read_text()


def test_startproject_refuses_a_requirement_on_something_else(tmp_path):
    result = framework_admin("startproject", "mysite", "--framework", "django>=5", cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr == "framework-admin: error: --framework: 'django>=5' names 'django', not 'framework'\n"
    assert list(tmp_path.iterdir()) == []


def test_upgrade_of_a_project_up_to_date_writes_nothing(project):
    before = snapshot(project)

    result = framework_admin("upgrade", cwd=project)

    assert result.returncode == 0, result.stderr
    assert "  unchanged                    manage.py" in result.stdout
    assert result.stdout.endswith("Nothing was written, and --apply has nothing to write.\n")
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("breakage", "args", "message"),
    [
        ("outside", [], "is not a project folder (no manage.py)"),
        ("no record", [], "has no .framework.json, the record startproject writes"),
        ("corrupted", [], ".framework.json: not a record written by startproject (not JSON"),
        ("uncommitted", ["--apply"], "the project has uncommitted changes (git status)"),
    ],
)
def test_upgrade_bad_input_is_one_line_and_writes_nothing(project, breakage, args, message):
    cwd = project
    if breakage == "outside":
        cwd = project / "notes"
    elif breakage == "no record":
        (project / ".framework.json").unlink()
    elif breakage == "corrupted":
        (project / ".framework.json").write_text('{"generated_by": ')
    else:
        git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.com"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-qm", "generated"], check=True)
        (project / "README.md").write_text("edited, not committed\n")
    before = snapshot(project)

    result = framework_admin("upgrade", *args, cwd=cwd)

    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""
    assert snapshot(project) == before
