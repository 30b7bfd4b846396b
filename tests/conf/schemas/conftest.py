"""Loading the built-in schemas from an environment of the test's own, for the schema tests."""

import pytest

from framework.conf import SettingsError, load
from framework.conf.environment import Environment
from framework.conf.schema import Context
from framework.conf.schemas import BUILTIN_SCHEMAS

#: Enough for the core settings to load, in development.
BASE = {"DEBUG": "true", "SECRET_KEY": "django-insecure-for-these-tests-only"}
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7#kq2!m9vz$w4p8r1t6y3u0e5a2s9d8f7g6h5j4k3l2z1x0c9v8b7n6m",
    "ALLOWED_HOSTS": "api.example.com",
}


def load_from(**environ):
    """Every built-in schema, loaded from BASE and `environ` alone."""
    return load(BUILTIN_SCHEMAS, Environment(None, environ={**BASE, **environ}))


def django_settings(schema, *, base_dir=None, **environ):
    """The Django settings `schema` gives, the environment being BASE and `environ`."""
    loaded = load_from(**environ)
    return loaded[schema].django_settings(Context(base_dir=base_dir, loaded=loaded))


def problems_of(**environ):
    """Variable -> the problem reported for it, for an environment that does not load."""
    with pytest.raises(SettingsError) as caught:
        load_from(**environ)
    return {problem.variable: str(problem) for problem in caught.value.problems}
