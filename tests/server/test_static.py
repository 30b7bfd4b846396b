import os
import time

import pytest

from framework.server.static import MISSING, collect_if_needed, problem

MANIFEST = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}


@pytest.fixture
def source(settings, tmp_path):
    """Static files stored by hashed names, from a folder of the project's own, into an empty STATIC_ROOT."""
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "site.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [folder]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    return folder


def test_without_a_manifest_storage_nothing_needs_collecting():
    assert problem() is None


def test_missing_static_files_are_collected(source, settings):
    assert problem() == MISSING.format(root=settings.STATIC_ROOT)

    assert collect_if_needed() == MISSING.format(root=settings.STATIC_ROOT)

    assert problem() is None
    assert collect_if_needed() is None


def test_a_file_changed_after_collecting_makes_them_stale(source):
    collect_if_needed()
    later = time.time() + 10
    os.utime(source / "site.css", (later, later))

    assert "site.css changed since they were collected" in problem()


def test_a_file_added_after_collecting_makes_them_stale(source):
    collect_if_needed()
    (source / "new.js").write_text("")

    assert "new.js changed" in problem()


def test_static_files_that_cannot_be_collected_name_the_command(source, settings):
    # A folder nobody can make, root included.
    settings.STATIC_ROOT.symlink_to("/proc/no-such-folder")

    with pytest.raises(OSError, match=r"run `python manage.py collectstatic --noinput`"):
        collect_if_needed()
