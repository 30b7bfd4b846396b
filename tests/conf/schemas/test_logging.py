"""The logging settings: JSON or console lines, levels per logger, masked keys, the access log's switch."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import LoggingSettings

from .conftest import PRODUCTION, django_settings, load_from


def test_json_logs_by_default_in_production_console_in_debug():
    assert django_settings(LoggingSettings, **PRODUCTION)["LOGGING"]["handlers"]["default"]["formatter"] == "json"
    assert django_settings(LoggingSettings, **{**PRODUCTION, "DEBUG": "true"})["LOGGING"]["handlers"]["default"]["formatter"] == "console"


def test_per_logger_levels_and_masked_keys():
    logging = django_settings(
        LoggingSettings, LOG_LEVELS="django.db.backends=debug, celery=WARNING", LOG_MASK_KEYS="national_id"
    )["LOGGING"]

    assert logging["loggers"]["django.db.backends"] == {"level": "DEBUG"}
    assert logging["loggers"]["celery"] == {"level": "WARNING"}
    assert logging["formatters"]["json"]["mask_keys"] == ["national_id"]


@pytest.mark.parametrize("value", ["django.db.backends", "django=LOUD", "=DEBUG"])
def test_a_malformed_logger_level_is_named(value):
    with pytest.raises(SettingsError) as caught:
        load([LoggingSettings], Environment(None, environ={"LOG_LEVELS": value}))

    assert "LOG_LEVELS" in str(caught.value) and "is not logger=LEVEL" in str(caught.value)


def test_the_access_log_switch_is_a_framework_setting():
    assert load_from(LOG_ACCESS="false")[LoggingSettings].framework_values() == {"LOG_ACCESS": False}
    assert "LOG_ACCESS" not in django_settings(LoggingSettings, LOG_ACCESS="false")
