"""The registry of a project's readiness checks: registering and unregistering by name."""

import pytest

from framework.health import health_check, registered, unregister


def names() -> set[str]:
    return {check.name for check in registered()}


def test_a_check_can_be_unregistered_by_name():
    @health_check(name="payments_sandbox")
    def check() -> None: ...

    assert "payments_sandbox" in names()

    unregister("payments_sandbox")

    assert "payments_sandbox" not in names()


def test_unregistering_an_unknown_name_says_so():
    with pytest.raises(LookupError, match="no health check named 'nothing' is registered"):
        unregister("nothing")
