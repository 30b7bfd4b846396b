"""System checks of the services called: a missing URL, an unknown setting, a credential over plain HTTP."""

from django.test import override_settings

from framework.services.checks import E001, E002, W001, check_plain_credentials, check_services


def test_a_service_without_a_url_and_an_unknown_setting_are_errors():
    with override_settings(FRAMEWORK={"SERVICES": {"notes": {"URL": "", "RETRYS": 3}}}):
        errors = check_services()

    assert [(error.id, error.msg) for error in errors] == [
        ("framework.services.E001", E001.format(name="notes")),
        ("framework.services.E002", E002.format(name="notes", key="RETRYS")),
    ]


def test_well_declared_services_pass():
    with override_settings(FRAMEWORK={"SERVICES": {"notes": {"URL": "https://notes.internal"}}}):
        assert check_services() == []


def test_a_credential_over_plain_http_to_another_host_is_a_deploy_warning():
    services = {
        "notes": {"URL": "http://notes.internal", "TOKEN": "t"},
        "local": {"URL": "http://127.0.0.1:8001", "TOKEN": "t"},
        "safe": {"URL": "https://safe.internal", "API_KEY": "k"},
        "open": {"URL": "http://open.internal"},
    }
    with override_settings(FRAMEWORK={"SERVICES": services}):
        warnings = check_plain_credentials()

    assert [(warning.id, warning.msg) for warning in warnings] == [
        ("framework.services.W001", W001.format(name="notes", host="notes.internal"))
    ]
