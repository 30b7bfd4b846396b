"""The health settings: the service's name, version and build, and the checks' timeout."""

from framework.conf.schemas import HealthSettings

from .conftest import load_from, problems_of


def test_health_check_timeout_must_be_positive():
    assert "greater than 0" in problems_of(HEALTH_CHECK_TIMEOUT="0")["HEALTH_CHECK_TIMEOUT"]


def test_the_service_is_named_in_the_framework_settings():
    health = load_from(SERVICE_NAME="notes-api", SERVICE_VERSION="1.4.2", HEALTH_SHOW_VERSIONS="true")[HealthSettings]

    assert health.framework_values() == {
        "SERVICE_NAME": "notes-api", "SERVICE_VERSION": "1.4.2", "SERVICE_BUILD": None, "HEALTH_CHECK_TIMEOUT": 2.0,
        "HEALTH_SHOW_VERSIONS": True,
    }
