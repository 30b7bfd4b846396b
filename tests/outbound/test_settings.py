"""The settings of the services a project calls: SERVICE_<NAME>_*, declared once, checked at start-up."""

import pytest

from framework.conf import SettingsError, configure, load
from framework.conf.environment import Environment
from framework.conf.schemas.services import (
    BAD_NAME,
    BOTH_CREDENTIALS,
    DUPLICATE_NAME,
    URL_MISSING,
    ServiceSettings,
    service_schema,
)


def load_service(name="billing", **environ):
    schema = service_schema(name)
    return load([schema], Environment(None, environ=environ))[schema]


def problems_of(name="billing", **environ):
    with pytest.raises(SettingsError) as caught:
        load_service(name, **environ)
    return {problem.variable: str(problem) for problem in caught.value.problems}


def test_each_service_reads_its_own_prefix_with_the_documented_defaults():
    billing = load_service(SERVICE_BILLING_URL="https://billing.internal/api/v1", SERVICE_BILLING_RETRIES="3")

    assert billing.client_settings() == {
        "URL": "https://billing.internal/api/v1",
        "TOKEN": "",
        "API_KEY": "",
        "CONNECT_TIMEOUT": 2.0,
        "READ_TIMEOUT": 10.0,
        "TOTAL_TIMEOUT": 15.0,
        "RETRIES": 3,
        "RETRY_BACKOFF": 0.2,
        "BREAKER_FAILURES": 5,
        "BREAKER_COOLDOWN": 30.0,
        "CRITICAL": False,
    }
    assert set(service_schema("billing").variables()) == {
        f"SERVICE_BILLING_{field}" for field in ServiceSettings.model_fields
    }


def test_the_token_is_masked_in_the_schema_repr():
    billing = load_service(SERVICE_BILLING_URL="https://billing.internal", SERVICE_BILLING_TOKEN="t0ps3cret")

    assert "t0ps3cret" not in repr(billing)


def test_the_token_can_come_from_a_file(tmp_path):
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")

    billing = load_service(SERVICE_BILLING_URL="https://billing.internal", SERVICE_BILLING_TOKEN_FILE=str(secret))

    assert billing.TOKEN == "from-a-file"


def test_a_missing_url_is_reported_naming_the_variable():
    assert problems_of() == {"SERVICE_BILLING_URL": "SERVICE_BILLING_URL: " + URL_MISSING.format(name="billing")}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("billing.internal", "has no scheme"),
        ("ftp://billing.internal", "has an unknown scheme 'ftp' (expected one of: http, https)"),
        ("https://billing internal", "contains spaces"),
        ("https://", "has no host"),
        ("https://billing.internal:port", "has a port that is not a number"),
        ("https://billing.internal/?a=1", "has a query or a fragment"),
    ],
)
def test_a_malformed_url_is_reported_naming_the_variable(url, expected):
    problems = problems_of(SERVICE_BILLING_URL=url)

    assert list(problems) == ["SERVICE_BILLING_URL"]
    assert problems["SERVICE_BILLING_URL"].startswith(f"SERVICE_BILLING_URL={url!r} (from environment): {expected}")


def test_a_negative_timeout_and_too_many_retries_are_reported():
    problems = problems_of(
        SERVICE_BILLING_URL="https://billing.internal",
        SERVICE_BILLING_READ_TIMEOUT="-1",
        SERVICE_BILLING_RETRIES="50",
    )

    assert set(problems) == {"SERVICE_BILLING_READ_TIMEOUT", "SERVICE_BILLING_RETRIES"}
    assert "greater than 0" in problems["SERVICE_BILLING_READ_TIMEOUT"]
    assert "less than or equal to 10" in problems["SERVICE_BILLING_RETRIES"]


def test_a_token_and_an_api_key_together_are_reported():
    problems = problems_of(
        SERVICE_BILLING_URL="https://billing.internal", SERVICE_BILLING_TOKEN="a", SERVICE_BILLING_API_KEY="b"
    )

    assert problems == {
        "SERVICE_BILLING_TOKEN": "SERVICE_BILLING_TOKEN='********' (from environment): "
        + BOTH_CREDENTIALS.format(other="SERVICE_BILLING_API_KEY")
    }


def _namespace(tmp_path):
    (tmp_path / ".env").write_text(
        "DEBUG=true\nSECRET_KEY=dev\nSERVICE_BILLING_URL=https://billing.internal\nSERVICE_BILLING_API_KEY=k3y\n"
    )
    return {"__file__": str(tmp_path / "mysite" / "settings.py"), "__name__": "mysite.settings"}


def test_configure_puts_each_listed_service_into_framework_services(tmp_path):
    namespace = _namespace(tmp_path)

    configure(namespace, services=["billing"])

    assert namespace["FRAMEWORK"]["SERVICES"]["billing"]["URL"] == "https://billing.internal"
    assert namespace["FRAMEWORK"]["SERVICES"]["billing"]["API_KEY"] == "k3y"
    assert not any(name.startswith("SERVICE_BILLING") for name in namespace)


def test_configure_without_services_declares_none(tmp_path):
    namespace = _namespace(tmp_path)

    configure(namespace)

    assert namespace["FRAMEWORK"]["SERVICES"] == {}


@pytest.mark.parametrize(
    ("services", "message"),
    [
        (["Billing-API"], BAD_NAME.format(name="Billing-API")),
        (["billing", "billing"], DUPLICATE_NAME.format(name="billing")),
    ],
)
def test_a_bad_list_of_services_is_a_settings_error(tmp_path, services, message):
    with pytest.raises(SettingsError) as caught:
        configure(_namespace(tmp_path), services=services)

    assert [str(problem) for problem in caught.value.problems] == [f"services: {message}"]


def test_manage_py_settings_shows_each_service_with_its_credential_masked(monkeypatch):
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    monkeypatch.setenv("SERVICE_NOTES_URL", "https://notes.internal")
    monkeypatch.setenv("SERVICE_NOTES_TOKEN", "t0ps3cret")
    out = StringIO()
    with override_settings(FRAMEWORK={"SERVICES": {"notes": {"URL": "https://notes.internal"}}}):
        call_command("settings", stdout=out, no_color=True)

    lines = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if line.strip()}
    assert lines["SERVICE_NOTES_URL"] == ["https://notes.internal", "environment"]
    assert lines["SERVICE_NOTES_TOKEN"] == ["********", "environment"]
    assert "t0ps3cret" not in out.getvalue()
