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

    @pytest.mark.parametrize(("key", "length", "unique"), [("abc", 3, 3), ("ab" * 40, 80, 2), ("k3Y-" * 12, 48, 4)])
    def test_a_short_or_repetitive_key_with_debug_off_is_refused(self, key, length, unique):
        problems, message = problems_of({**PRODUCTION, "SECRET_KEY": key})

        assert set(problems) == {"SECRET_KEY"}
        assert f"is {length} characters, {unique} of them distinct" in problems["SECRET_KEY"].message
        assert problems["SECRET_KEY"].value == "********" and key not in message

    def test_the_jwt_key_derived_from_a_short_secret_key_is_refused_with_it(self):
        # No JWT_SIGNING_KEY: tokens would be signed with SECRET_KEY, so it is the one refused.
        problems, _ = problems_of({**PRODUCTION, "SECRET_KEY": "abc", "JWT_SIGNING_KEY": ""})

        assert set(problems) == {"SECRET_KEY"}

    def test_a_short_key_is_fine_with_debug_on(self):
        assert load_from({"DEBUG": "true", "SECRET_KEY": "abc"})[CoreSettings].SECRET_KEY == "abc"

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
