"""framework_settings: the FRAMEWORK dict over the schemas' defaults, read when used, reloaded when it changes."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from framework.conf import configure, framework_settings
from framework.conf.schemas import BUILTIN_SCHEMAS, LoggingSettings, ServerSettings, TasksSettings
from framework.conf.settings import FrameworkSettings, builtin_defaults


def test_configure_writes_every_key_under_its_variable_name(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=dev\nWEB_TIMEOUT=45\nCELERY_TASK_MAX_RETRIES=2\n")
    namespace = {"__file__": str(tmp_path / "mysite" / "settings.py"), "__name__": "mysite.settings"}

    configure(namespace)

    assert set(namespace["FRAMEWORK"]) == set(builtin_defaults())
    assert namespace["FRAMEWORK"]["WEB_TIMEOUT"] == 45
    assert namespace["FRAMEWORK"]["CELERY_TASK_MAX_RETRIES"] == 2
    assert namespace["FRAMEWORK"]["API_PATH_PREFIX"] == "/api/"
    # The framework's settings are not flat Django settings of their own any more.
    assert not {"SERVER", "TASKS", "LOG_ACCESS", "WEB_TIMEOUT", "API_PATH_PREFIX", "FRAMEWORK_SCHEMAS"} & set(namespace)


def test_the_defaults_are_the_ones_the_schemas_declare():
    defaults = builtin_defaults()

    assert defaults["WEB_TIMEOUT"] == ServerSettings.model_fields["WEB_TIMEOUT"].default
    assert defaults["LOG_ACCESS"] == LoggingSettings.model_fields["LOG_ACCESS"].default
    assert defaults["CELERY_TASK_MAX_RETRIES"] == TasksSettings.model_fields["TASK_MAX_RETRIES"].default
    assert defaults["SCHEMAS"] == [f"{schema.__module__}.{schema.__qualname__}" for schema in BUILTIN_SCHEMAS]


def test_a_value_comes_from_the_setting():
    assert framework_settings.LOG_ACCESS is django_settings.FRAMEWORK["LOG_ACCESS"]
    assert framework_settings.SCHEMAS == django_settings.FRAMEWORK["SCHEMAS"]


def test_an_override_takes_effect_and_the_keys_it_leaves_out_take_their_defaults():
    framework_settings.WEB_TIMEOUT  # noqa: B018 -- read, so that a stale value would be kept
    with override_settings(FRAMEWORK={"WEB_TIMEOUT": 7}):
        assert framework_settings.WEB_TIMEOUT == 7
        assert framework_settings.PORT == ServerSettings.model_fields["PORT"].default
    assert framework_settings.WEB_TIMEOUT == django_settings.FRAMEWORK["WEB_TIMEOUT"]


def test_the_settings_fixture_takes_effect_too(settings):
    settings.FRAMEWORK = {**settings.FRAMEWORK, "LOG_ACCESS": False}

    assert framework_settings.LOG_ACCESS is False


def test_an_unknown_key_names_the_likeliest_one():
    with pytest.raises(AttributeError, match="'WEB_TIMEOTU' is not a framework setting; did you mean 'WEB_TIMEOUT'"):
        framework_settings.WEB_TIMEOTU  # noqa: B018


def test_settings_made_with_their_own_defaults():
    own = FrameworkSettings({"COLOUR": "blue"})

    with override_settings(FRAMEWORK={}):
        assert own.COLOUR == "blue"
    with pytest.raises(AttributeError):
        own.WEB_TIMEOUT  # noqa: B018
