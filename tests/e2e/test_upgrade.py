"""`framework-admin upgrade` on a project generated before the template changed: what it shows, what --apply writes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from framework.management.render import start_project, template_dir
from framework.management.upgrade import RECORD, digest, project_files
from tests.e2e.conftest import BIN, manage, run

pytestmark = pytest.mark.e2e

GENERATED = Path(__file__).parent / "generated"


def git(project: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        capture_output=True, text=True, check=True,
    )
    return result.stdout


def upgrade(project: Path, *args: str) -> subprocess.CompletedProcess:
    return run([str(BIN / "framework-admin"), "upgrade", *args], cwd=project)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project from the template as it was before a change, committed, then changed by its user."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    before = tmp_path / "template-before"
    shutil.copytree(template_dir("project"), before)
    for name, now, then in [
        ("project_name/urls.py-tpl", "the admin, and the framework's API", "the admin and the API"),
        ("notes/views.py-tpl", "Another user's note answers 404", "Another user's note is a 404"),
    ]:
        text = (before / name).read_text()
        assert now in text, f"{name} changed: update this test's stand-in for an earlier template"
        (before / name).write_text(text.replace(now, then))
    (before / "wheels" / "README.md").unlink()
    project = start_project("mysite", tmp_path / "mysite", template=before)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    # The user's own work: an edit where upstream also changed, and one where it did not.
    (views := project / "notes" / "views.py").write_text(views.read_text().replace("IsOwner]", "IsOwner]  # ours"))
    settings = project / "mysite" / "settings.py"
    settings.write_text(settings.read_text() + "LANGUAGE_CODE = 'fr'\n")
    git(project, "commit", "-qam", "our changes")
    return project


def test_upgrade_shows_each_file_and_the_diff_of_one_both_sides_changed(project):
    before = {path: content for path, content in project_files(project).items()}

    result = upgrade(project)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "  changed upstream             mysite/urls.py  (to update with --apply)" in lines
    assert "  new upstream                 wheels/README.md  (to create with --apply)" in lines
    assert "  changed by you and upstream  notes/views.py  (the diff below: apply it by hand)" in lines
    assert "  changed by you               mysite/settings.py" in lines
    assert "--- a/notes/views.py" in lines and "+++ b/notes/views.py" in lines
    assert any(line.startswith("+") and "Another user's note answers 404" in line for line in lines)
    assert project_files(project) == before  # nothing written
    assert git(project, "status", "--porcelain") == ""


def test_apply_updates_only_the_files_the_user_never_touched(project):
    ours = {name: (project / name).read_text() for name in ("notes/views.py", "mysite/settings.py")}

    result = upgrade(project, "--apply")

    assert result.returncode == 0, result.stderr
    changed = sorted(line[3:] for line in git(project, "status", "--porcelain", "--untracked-files=all").splitlines())
    assert changed == [RECORD, "mysite/urls.py", "wheels/README.md"]
    assert "the admin, and the framework's API" in (project / "mysite" / "urls.py").read_text()
    assert {name: (project / name).read_text() for name in ours} == ours
    # The project still works, and a second upgrade has nothing left to write.
    assert manage(project, "check").returncode == 0
    assert upgrade(project).stdout.endswith("Nothing was written, and --apply has nothing to write.\n")


@pytest.mark.parametrize("release", sorted(path.name for path in GENERATED.iterdir() if path.is_dir()))
def test_a_project_of_an_earlier_release_upgrades_and_still_passes_its_tests(release, tmp_path):
    """The committed project of an earlier release, with the record that release would write for it
    (0.1.0 wrote none: it is made here from the files as generated), upgraded with --apply."""
    project = tmp_path / "mysite"
    shutil.copytree(GENERATED / release / "mysite", project)
    if not (project / RECORD).exists():
        files = {path: digest(content) for path, content in project_files(project).items()}
        record = {"generated_by": "framework-admin startproject", "framework_version": release.removeprefix("v"),
                  "name": "mysite", "files": files}
        (project / RECORD).write_text(json.dumps(record))

    result = upgrade(project, "--apply")

    assert result.returncode == 0, result.stderr
    assert "  changed upstream             pyproject.toml  (updated)" in result.stdout.splitlines()
    for args in (["check"], ["migrate", "--noinput"], ["test", "-q", "-p", "no:cacheprovider"]):
        result = manage(project, *args)
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
