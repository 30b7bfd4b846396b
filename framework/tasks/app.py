"""The Celery app of a project, configured from its Django settings."""

from celery import Celery


def create_app(name: str) -> Celery:
    """A Celery app reading the `CELERY_*` Django settings and finding each installed app's tasks."""
    app = Celery(name)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.autodiscover_tasks()
    return app
