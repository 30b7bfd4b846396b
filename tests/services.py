"""Real services the tests need: skipped with a reason when missing, a failure under CI."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from framework.testing.processes import Process, accepts_connections

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


# Redis: the machine's server is shared by every checkout and every run. A run claims
# databases of its own (a key in database 0 names the run holding each, and expires
# unless the run keeps it alive), writes its keys under prefixes of its own, and deletes
# only those keys: it never flushes a database.
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
#: This run's id, in the names of what it writes to shared servers.
RUN_ID = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
#: The databases runs may claim: 1 to 13 (0 holds the claims; bench/ uses 14 and 15 by default).
REDIS_DATABASES = range(1, 14)
CLAIM_KEY = "framework-tests:database:{number}"
CLAIM_SECONDS = 120
CLAIM_WAIT = 120
NO_FREE_DATABASE = (
    "every Redis database {first}-{last} at {host}:{port} is claimed by another test run "
    "(keys framework-tests:database:N in database 0); waited {wait} s"
)

#: Renew a claim only while it is this run's (an expired one may have been claimed since).
RENEW_IF_OURS = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0"

_claims: dict[str, int] = {}
_claims_lock = threading.Lock()


def redis_url(purpose: str = "default") -> str:
    """redis://127.0.0.1:6379/N: a Redis database of this run's own (one per purpose), claimed on first use.

    Skips the calling test when Redis does not answer (fails under CI). The claim is
    kept alive while the run lasts and released when it ends.
    """
    require("Redis", REDIS_HOST, REDIS_PORT)
    with _claims_lock:
        if purpose not in _claims:
            _claims[purpose] = _claim_database()
            if len(_claims) == 1:
                threading.Thread(target=_keep_claims, name="redis-claims", daemon=True).start()
                atexit.register(_release_claims)
        return f"redis://{REDIS_HOST}:{REDIS_PORT}/{_claims[purpose]}"


def key_prefix(name: str) -> str:
    """A prefix for the keys this run writes: `name` and the run's id."""
    return f"{name}-{RUN_ID}"


def delete_keys(url: str, pattern: str) -> int:
    """Delete the keys matching `pattern` (a Redis glob, which should name this run) from the database at `url`."""
    import redis

    client = redis.Redis.from_url(url)
    deleted = 0
    for key in client.scan_iter(match=pattern, count=500):
        deleted += client.delete(key)
    return deleted


def _claims_client():
    import redis

    return redis.Redis(REDIS_HOST, REDIS_PORT, db=0, socket_timeout=5)


def _claim_database() -> int:
    client = _claims_client()
    deadline = time.monotonic() + CLAIM_WAIT
    while True:
        for number in REDIS_DATABASES:
            if number not in _claims.values() and client.set(CLAIM_KEY.format(number=number), RUN_ID, nx=True, ex=CLAIM_SECONDS):
                return number
        if time.monotonic() > deadline:
            pytest.fail(NO_FREE_DATABASE.format(
                first=REDIS_DATABASES[0], last=REDIS_DATABASES[-1], host=REDIS_HOST, port=REDIS_PORT, wait=CLAIM_WAIT,
            ), pytrace=False)
        time.sleep(1)


def _keep_claims() -> None:
    while True:
        time.sleep(CLAIM_SECONDS / 4)
        try:
            client = _claims_client()
            with _claims_lock:
                for number in _claims.values():
                    client.eval(RENEW_IF_OURS, 1, CLAIM_KEY.format(number=number), RUN_ID, CLAIM_SECONDS)
        except Exception:  # Redis stopped for a while: the claims expire, nothing else breaks
            pass


def _release_claims() -> None:
    try:
        client = _claims_client()
        for number in _claims.values():
            key = CLAIM_KEY.format(number=number)
            if client.get(key) == RUN_ID.encode():
                client.delete(key)
    except Exception:
        pass


def redis_server(folder: Path, port: int, *options: str) -> Process:
    """A redis-server of the test's own on `port` (for tests that stop it), not started yet; `options` override.

    Skips the test when redis-server is not installed (fails instead under CI).
    """
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        if ON_CI:
            pytest.fail(f"{message} (CI=true: the service is required)", pytrace=False)
        pytest.skip(message)
    return Process(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *options, "--dir", str(folder)],
        log=folder / "redis-server.log", name=f"redis-server :{port}",
    )


@contextmanager
def started_redis_server(folder: Path) -> Iterator[tuple[str, Process]]:
    """A redis-server of the test's own on a free port, accepting connections: its URL and process; stopped after."""
    redis_server(folder, 0)  # skips (or fails) without the binary
    process, port = Process.start_on_free_port(
        lambda port: redis_server(folder, port), lambda port: accepts_connections("127.0.0.1", port),
        timeout=10, what="accept connections",
    )
    with process:
        yield f"redis://127.0.0.1:{port}/0", process
