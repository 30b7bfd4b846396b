"""The settings of operations: logging, the server, health."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schema import Context
from framework.conf.schemas import BUILTIN_SCHEMAS, LoggingSettings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2!m9vz$w4p8r1t6y3u0e5a2s9d8f7g6h5j4k3l2z1x0c9v8b7n6m",
    "ALLOWED_HOSTS": "api.example.com",
}


def configured(environ, tmp_path):
    """The Django settings of every built-in schema, from `environ` alone."""
    loaded = load(BUILTIN_SCHEMAS, Environment(None, environ=environ))
    context = Context(base_dir=tmp_path, loaded=loaded)
    settings = {}
    for instance in loaded.values():
        settings.update(instance.django_settings(context))
    return settings


def test_json_logs_by_default_in_production_console_in_debug(tmp_path):
    assert configured(PRODUCTION, tmp_path)["LOGGING"]["handlers"]["default"]["formatter"] == "json"
    assert configured({**PRODUCTION, "DEBUG": "true"}, tmp_path)["LOGGING"]["handlers"]["default"]["formatter"] == "console"


def test_per_logger_levels_and_masked_keys(tmp_path):
    logging = configured(
        {**PRODUCTION, "LOG_LEVELS": "django.db.backends=debug, celery=WARNING", "LOG_MASK_KEYS": "national_id"}, tmp_path
    )["LOGGING"]

    assert logging["loggers"]["django.db.backends"] == {"level": "DEBUG"}
    assert logging["loggers"]["celery"] == {"level": "WARNING"}
    assert logging["formatters"]["json"]["mask_keys"] == ["national_id"]


@pytest.mark.parametrize("value", ["django.db.backends", "django=LOUD", "=DEBUG"])
def test_a_malformed_logger_level_is_named(value):
    with pytest.raises(SettingsError) as caught:
        load([LoggingSettings], Environment(None, environ={"LOG_LEVELS": value}))

    assert "LOG_LEVELS" in str(caught.value) and "is not logger=LEVEL" in str(caught.value)


def test_static_files_are_hashed_and_compressed_in_production_only(tmp_path):
    production = configured(PRODUCTION, tmp_path)["STORAGES"]["staticfiles"]["BACKEND"]
    debug = configured({**PRODUCTION, "DEBUG": "true"}, tmp_path)["STORAGES"]["staticfiles"]["BACKEND"]

    assert production == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert debug == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_health_check_timeout_must_be_positive():
    with pytest.raises(SettingsError, match="HEALTH_CHECK_TIMEOUT"):
        load(BUILTIN_SCHEMAS, Environment(None, environ={**PRODUCTION, "HEALTH_CHECK_TIMEOUT": "0"}))
