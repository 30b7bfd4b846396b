"""What authenticating a request costs: JWT and API key, per request, on this machine.

    DATABASE_URL=sqlite:///:memory: .venv/bin/python bench/auth_overhead.py

Prints microseconds per authentication (the database lookup included, on an
in-memory SQLite database), to compare with the 1 ms budget. Not a test: a
measurement.
"""

from __future__ import annotations

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.test import APIRequestFactory  # noqa: E402

from framework.auth.api_keys import create_api_key  # noqa: E402
from framework.auth.backends.api_key import APIKeyAuthentication  # noqa: E402
from framework.auth.backends.jwt import JWTAuthentication  # noqa: E402
from framework.auth.tokens import issue_tokens  # noqa: E402

ROUNDS = 2000


def per_call(backend, headers: dict[str, str]) -> float:
    """Microseconds `backend` takes to authenticate a request (the requests are built beforehand)."""
    factory = APIRequestFactory()
    requests = [Request(factory.get("/api/v1/notes/", **headers)) for _ in range(ROUNDS)]
    iterator = iter([])

    def authenticate() -> None:
        assert backend.authenticate(next(iterator)) is not None

    best = float("inf")
    for _ in range(5):
        iterator = iter(requests)
        best = min(best, timeit.timeit(authenticate, number=ROUNDS))
    return best / ROUNDS * 1e6


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", password="not-used")
    access = issue_tokens(user)["access"]
    _api_key, key = create_api_key(user, "bench")
    print(f"JWT bearer: {per_call(JWTAuthentication(), {'HTTP_AUTHORIZATION': f'Bearer {access}'}):.0f} µs per request")
    print(f"API key:    {per_call(APIKeyAuthentication(), {'HTTP_AUTHORIZATION': f'Api-Key {key}'}):.0f} µs per request")


if __name__ == "__main__":
    main()
