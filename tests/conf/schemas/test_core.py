"""The core settings: the production guard on SECRET_KEY and ALLOWED_HOSTS, and the time zone."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schemas import BUILTIN_SCHEMAS, CoreSettings

from .conftest import PRODUCTION


def load_from(environ):
    return load(BUILTIN_SCHEMAS, Environment(None, environ=environ))


def problems_of(environ):
    with pytest.raises(SettingsError) as caught:
        load_from(environ)
    return {problem.variable: problem for problem in caught.value.problems}, str(caught.value)


class TestProductionGuard:
    def test_missing_secret_key(self):
        problems, message = problems_of({"DEBUG": "false", "ALLOWED_HOSTS": "a.example"})

        assert set(problems) == {"SECRET_KEY"}
        assert "SECRET_KEY: is required" in message

    def test_development_key_with_debug_off(self):
        problems, _ = problems_of({**PRODUCTION, "SECRET_KEY": "django-insecure-abc"})

        assert "development key" in problems["SECRET_KEY"].message
        assert problems["SECRET_KEY"].value == "********"

    def test_development_key_is_fine_with_debug_on(self):
        loaded = load_from({"DEBUG": "true", "SECRET_KEY": "django-insecure-abc"})

        assert loaded[CoreSettings].DEBUG is True

    def test_empty_allowed_hosts_with_debug_off(self):
        problems, _ = problems_of({**PRODUCTION, "ALLOWED_HOSTS": ","})

        assert set(problems) == {"ALLOWED_HOSTS"}

    def test_debug_defaults_to_off(self):
        problems, _ = problems_of({"SECRET_KEY": PRODUCTION["SECRET_KEY"]})

        assert set(problems) == {"ALLOWED_HOSTS"}


def test_an_unknown_time_zone_is_named():
    problems, _ = problems_of({**PRODUCTION, "TIME_ZONE": "Mars/Olympus"})

    assert "unknown time zone" in problems["TIME_ZONE"].message
