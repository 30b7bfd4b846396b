from framework.management.project import add_app, line_to_add, route_owner, settings_file
from framework.management.render import start_project


def test_a_new_app_joins_the_installed_apps_of_the_project(tmp_path):
    project = start_project("shop", tmp_path / "shop")

    changed = add_app(project, "library")

    assert changed == project / "shop" / "settings.py"
    assert changed.read_text().endswith('INSTALLED_APPS += [  # noqa: F821 -- defined by configure()\n    "notes",\n    "library",\n]\n')


def test_an_app_listed_already_is_not_added_twice(tmp_path):
    project = start_project("shop", tmp_path / "shop")
    add_app(project, "library")
    before = (project / "shop" / "settings.py").read_text()

    add_app(project, "library")

    assert (project / "shop" / "settings.py").read_text() == before


def test_settings_without_the_templates_list_are_left_alone(tmp_path):
    project = start_project("shop", tmp_path / "shop")
    settings = project / "shop" / "settings.py"
    settings.write_text("from framework.conf import configure\n\nconfigure(globals())\nINSTALLED_APPS.append('notes')\n")

    assert add_app(project, "library") is None
    assert "library" not in settings.read_text()
    assert line_to_add("library") == 'INSTALLED_APPS += ["library"]'


def test_a_folder_without_manage_py_is_no_project(tmp_path):
    assert settings_file(tmp_path) is None
    assert add_app(tmp_path, "library") is None


def test_the_settings_module_is_the_one_manage_py_names(tmp_path):
    project = start_project("shop", tmp_path / "shop")
    manage = project / "manage.py"
    manage.write_text(manage.read_text().replace('"shop.settings"', '"shop.other"'))
    (project / "shop" / "other.py").write_text("")

    assert settings_file(project) == project / "shop" / "other.py"


def test_route_owner_finds_the_app_that_registers_a_route(tmp_path):
    project = start_project("shop", tmp_path / "shop")

    assert route_owner(project, "notes") == project / "notes" / "api.py"
    assert route_owner(project, "books") is None
