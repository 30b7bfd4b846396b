"""Deprecations as data: a setting declared deprecated or renamed in its schema is read, checked and documented so."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils.version import get_version_tuple

import framework
from framework.conf import Deprecation, Schema, SettingsError, load, setting
from framework.conf.checks import W004, check_deprecated_variables, check_misspelled_variables
from framework.conf.environment import Environment
from framework.conf.reference import effective, markdown
from framework.conf.schemas import BUILTIN_SCHEMAS


class PaymentsSettings(Schema, env_prefix="PAYMENTS_"):
    title = "Payments"

    TIMEOUT: int = setting(10, "Seconds to wait for the provider.", renamed_from={"PAYMENTS_WAIT": "0.4.0"})
    LEGACY_MODE: bool = setting(
        False, "The provider's old API.", deprecated=Deprecation("0.4.0", instead="PAYMENTS_API_VERSION=2")
    )
    RETRIES: int = setting(3, "Attempts.", deprecated=Deprecation("0.5.0"))


def loaded(**environ: str) -> PaymentsSettings:
    return load([PaymentsSettings], Environment(None, environ=environ))[PaymentsSettings]


def test_a_renamed_setting_keeps_working_under_its_former_name():
    assert loaded(PAYMENTS_WAIT="5").TIMEOUT == 5


def test_the_current_name_wins_over_the_former_one():
    assert loaded(PAYMENTS_WAIT="5", PAYMENTS_TIMEOUT="7").TIMEOUT == 7


def test_a_bad_value_under_the_former_name_is_reported_under_that_name():
    with pytest.raises(SettingsError) as caught:
        loaded(PAYMENTS_WAIT="soon")

    assert [str(problem) for problem in caught.value.problems] == [
        "PAYMENTS_WAIT='soon' (from environment): expected a whole number"
    ]


def test_the_effective_settings_say_which_name_set_it():
    [timeout] = [row for row in effective([PaymentsSettings], Environment(None, environ={"PAYMENTS_WAIT": "5"})) if row.variable == "PAYMENTS_TIMEOUT"]

    assert (timeout.value, timeout.source) == ("5", "environment, as PAYMENTS_WAIT")


def test_the_reference_marks_deprecated_and_renamed_settings():
    reference = markdown([PaymentsSettings])

    assert "| `PAYMENTS_TIMEOUT` | integer | `10` | Seconds to wait for the provider. Formerly `PAYMENTS_WAIT`, still read until 0.4.0. |" in reference
    assert "The provider's old API. **Deprecated**: removed in 0.4.0; instead: PAYMENTS_API_VERSION=2. |" in reference
    assert reference.split("## Deprecated settings", 1)[1].splitlines()[6:] == [
        "| `PAYMENTS_LEGACY_MODE` | PAYMENTS_API_VERSION=2 | 0.4.0 |",
        "| `PAYMENTS_RETRIES` |  | 0.5.0 |",
        "| `PAYMENTS_WAIT` | `PAYMENTS_TIMEOUT` | 0.4.0 |",
    ]


def test_a_reference_without_deprecations_has_no_such_section():
    assert "Deprecated settings" not in markdown(BUILTIN_SCHEMAS[:1])


@pytest.fixture
def payments_configured(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.FRAMEWORK = {**settings.FRAMEWORK, "SCHEMAS": [*settings.FRAMEWORK["SCHEMAS"], f"{__name__}.PaymentsSettings"]}


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PAYMENTS_WAIT": "5"}, [("PAYMENTS_WAIT", "0.4.0", "Rename it to PAYMENTS_TIMEOUT; until then it is read as PAYMENTS_TIMEOUT.")]),
        ({"PAYMENTS_WAIT": "5", "PAYMENTS_TIMEOUT": "7"}, [("PAYMENTS_WAIT", "0.4.0", "Remove it: PAYMENTS_TIMEOUT is set too, and is the one read.")]),
        ({"PAYMENTS_LEGACY_MODE": "true"}, [("PAYMENTS_LEGACY_MODE", "0.4.0", "Instead: PAYMENTS_API_VERSION=2.")]),
        ({"PAYMENTS_RETRIES": "2"}, [("PAYMENTS_RETRIES", "0.5.0", "Remove it; it will have no effect.")]),
        ({"PAYMENTS_TIMEOUT": "7"}, []),
    ],
)
def test_using_a_deprecated_setting_is_a_warning_naming_the_replacement(payments_configured, monkeypatch, environ, expected):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    warnings = check_deprecated_variables()

    assert [(w.id, w.msg, w.hint) for w in warnings] == [
        ("framework.W004", W004.format(variable=variable, removed_in=removed_in), hint) for variable, removed_in, hint in expected
    ]


def test_a_former_name_is_not_taken_for_a_misspelling(payments_configured, monkeypatch):
    monkeypatch.setenv("PAYMENTS_WAIT", "5")

    assert check_misspelled_variables() == []


@pytest.mark.django_db  # all the checks run: Django 6.1's model checks ask the database what it supports
def test_manage_py_check_shows_the_warning(payments_configured, monkeypatch, capsys):
    monkeypatch.setenv("PAYMENTS_WAIT", "5")

    call_command("check")

    assert "(framework.W004) PAYMENTS_WAIT is deprecated: framework 0.4.0 removes it." in capsys.readouterr().err


def test_no_builtin_deprecation_outlives_the_version_that_removes_it():
    """A release that reaches a removal version removes the setting (or its former name) first."""
    overdue = [
        (variable, deprecation.removed_in)
        for schema in BUILTIN_SCHEMAS
        for variable, deprecation in schema.deprecated_variables().items()
        if get_version_tuple(deprecation.removed_in) <= get_version_tuple(framework.__version__)
    ]
    assert overdue == []
