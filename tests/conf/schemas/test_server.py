"""The server settings: how `manage.py serve` runs gunicorn, and how static files are stored."""

import pytest

from framework.conf.schemas import ServerSettings

from .conftest import PRODUCTION, django_settings, load_from, problems_of


def test_static_files_are_hashed_and_compressed_in_production_only():
    production = django_settings(ServerSettings, **PRODUCTION)["STORAGES"]["staticfiles"]["BACKEND"]
    debug = django_settings(ServerSettings, **{**PRODUCTION, "DEBUG": "true"})["STORAGES"]["staticfiles"]["BACKEND"]

    assert production == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert debug == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_the_server_settings_are_framework_settings_by_their_variable_names():
    server = load_from(PORT="9000", WEB_TIMEOUT="45")[ServerSettings]

    assert server.framework_values()["PORT"] == 9000
    assert server.framework_values()["WEB_TIMEOUT"] == 45
    assert server.framework_values()["WEB_CONCURRENCY"] is None  # 2 per core, plus 1: decided by `serve`


@pytest.mark.parametrize(("variable", "value"), [("PORT", "eighty"), ("PORT", "70000"), ("WEB_THREADS", "0")])
def test_bad_values_are_named(variable, value):
    assert variable in problems_of(**{variable: value})
