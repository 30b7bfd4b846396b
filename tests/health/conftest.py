import pytest

from framework.health import health_check, registry


@pytest.fixture
def register():
    """`health_check`, for one test: the checks it registers are gone after it."""
    before = dict(registry._registered)
    yield health_check
    registry._registered.clear()
    registry._registered.update(before)
