"""Real services the tests need: skipped with a reason when missing, a failure under CI."""

from __future__ import annotations

import os
import socket

import pytest

ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# One checkout's test databases; another checkout on the same server sets its own.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/framework")


def postgres_url(suffix: str) -> str:
    """A PostgreSQL database of this checkout's own, named after TEST_POSTGRES_URL's."""
    return f"{POSTGRES_URL}_{suffix}"


def reachable(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    """Skip the calling test when `name` at host:port does not answer; fail instead under CI."""
    if reachable(host, port):
        return
    message = f"{name} is not reachable at {host}:{port}"
    if ON_CI:
        pytest.fail(f"{message} (CI=true: the service is required)", pytrace=False)
    pytest.skip(message)
