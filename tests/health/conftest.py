import pytest

from framework.health import health_check, registered, unregister


@pytest.fixture
def register():
    """`health_check`, for one test: the checks it registers are gone after it."""
    before = {check.name for check in registered()}
    yield health_check
    for check in registered():
        if check.name not in before:
            unregister(check.name)


@pytest.fixture(autouse=True)
def fresh_results():
    """Readiness keeps its results for a second: each test runs its own checks."""
    from framework.health import runner

    runner.forget()
    yield
    runner.forget()
