"""The task queue: Celery, configured from the settings schema."""

from .app import create_app

__all__ = ["create_app"]
