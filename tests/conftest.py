from __future__ import annotations

import pytest
from django.conf import settings

from tests.services import ON_CI, reachable


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With DATABASE_URL pointing at an unreachable PostgreSQL, skip (or under CI, stop) the database tests."""
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        return
    host, port = database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)
    if reachable(host, port):
        return
    message = f"PostgreSQL is not reachable at {host}:{port}"
    if ON_CI:
        pytest.exit(f"{message} (CI=true: the service is required)", returncode=1)
    skip = pytest.mark.skip(reason=message)
    for item in items:
        if item.get_closest_marker("django_db"):
            item.add_marker(skip)
