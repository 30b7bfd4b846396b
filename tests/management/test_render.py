import pytest
from django.core.management.base import CommandError

from framework.management.render import NOT_EMPTY, start_app, start_project


def files_under(path):
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


def test_project_is_rendered_with_its_name(tmp_path):
    target = start_project("shop", tmp_path / "shop")

    files = files_under(target)
    assert {"manage.py", "shop/settings.py", "shop/urls.py", "shop/wsgi.py", "shop/asgi.py", "shop/celery.py",
            "notes/views.py", "notes/tests/test_api.py", ".env", ".env.example", ".gitignore",
            "pyproject.toml", "README.md"} <= set(files)
    assert not [name for name in files if name.endswith("-tpl")]
    assert '"shop.settings"' in (target / "manage.py").read_text()
    assert 'create_app("shop")' in (target / "shop" / "celery.py").read_text()
    assert "{{" not in "".join((target / name).read_text() for name in files)


def test_dotenv_holds_a_development_key_marked_insecure(tmp_path):
    first = (start_project("shop", tmp_path / "a") / ".env").read_text()
    second = (start_project("shop", tmp_path / "b") / ".env").read_text()

    key = next(line for line in first.splitlines() if line.startswith("SECRET_KEY="))
    assert key.startswith("SECRET_KEY='django-insecure-")
    assert "DEBUG=true" in first
    assert key not in second  # a new key for every project


def test_dotenv_is_git_ignored(tmp_path):
    target = start_project("shop", tmp_path / "shop")

    assert ".env" in (target / ".gitignore").read_text().splitlines()


def test_directory_defaults_to_the_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert start_project("shop") == tmp_path / "shop"


def test_an_existing_empty_directory_is_used(tmp_path):
    (tmp_path / "here").mkdir()

    assert (start_project("shop", tmp_path / "here") / "manage.py").is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("1bad", "'1bad' is not a valid project name"),
        ("my-site", "'my-site' is not a valid project name"),
        ("os", "'os' conflicts with the name of an existing Python module"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, name, message):
    with pytest.raises(CommandError, match=message):
        start_project(name, tmp_path / "target")

    assert list(tmp_path.iterdir()) == []


def test_a_name_the_template_uses_for_a_folder_is_refused(tmp_path):
    with pytest.raises(CommandError, match="'notes' is the name of a folder the project template creates"):
        start_project("notes", tmp_path / "target")

    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["1bad", "my-app", "json"])
def test_bad_app_names_are_refused(tmp_path, name):
    with pytest.raises(CommandError):
        start_app(name, tmp_path / "target")

    assert list(tmp_path.iterdir()) == []


def test_a_directory_with_files_is_refused_and_left_alone(tmp_path):
    (tmp_path / "manage.py").write_text("mine")

    with pytest.raises(CommandError) as caught:
        start_project("shop", tmp_path)

    assert str(caught.value) == NOT_EMPTY.format(target=tmp_path)
    assert files_under(tmp_path) == ["manage.py"]
    assert (tmp_path / "manage.py").read_text() == "mine"


def test_a_file_as_target_is_refused(tmp_path):
    (tmp_path / "shop").write_text("")

    with pytest.raises(CommandError, match="is not a directory"):
        start_project("shop", tmp_path / "shop")


def test_app_is_rendered(tmp_path):
    target = start_app("books", tmp_path / "books")

    assert {"__init__.py", "apps.py", "models.py", "views.py", "api.py", "migrations/__init__.py"} <= set(files_under(target))
    assert 'name = "books"' in (target / "apps.py").read_text()
