"""Tasks every project has."""

from __future__ import annotations

from .decorators import task


@task(name="framework.tasks.ping", autoretry_for=())
def ping() -> str:
    """Answer "pong": proves that a worker takes tasks and that results come back."""
    return "pong"
