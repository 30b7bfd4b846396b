"""The Celery app of a project, configured from its Django settings."""

from __future__ import annotations

from pathlib import Path

from celery import Celery

from framework.observability.worker import MetricsServer

from .heartbeat import Heartbeat
from .relay import RelayStep

_apps: list[Celery] = []


def create_app(name: str) -> Celery:
    """A Celery app reading the `CELERY_*` Django settings and finding each installed app's tasks.

    Its tasks get the framework's defaults (framework.tasks.base.Task),
    even those declared with Celery's own @shared_task.
    """
    app = Celery(name, task_cls="framework.tasks.base:Task")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.steps["worker"].add(Heartbeat)
    app.steps["worker"].add(RelayStep)
    app.steps["worker"].add(MetricsServer)
    app.autodiscover_tasks()
    app.on_after_configure.connect(lambda sender, **kwargs: prepare_broker(sender), weak=False)
    app.set_default()
    _apps.append(app)
    return app


def get_app() -> Celery:
    """The project's app: the last one create_app() made, or a new one named after the settings' package."""
    if not _apps:
        from django.conf import settings

        module = getattr(settings, "SETTINGS_MODULE", None) or ""
        create_app(module.rpartition(".")[0] or "tasks")
    return _apps[-1]


def created_apps() -> list[Celery]:
    """The apps create_app() has made in this process (none made for the asking)."""
    return list(_apps)


#: kombu's filesystem transport, with each message published whole (see the module).
FILESYSTEM_TRANSPORT = "framework.tasks.transport:FilesystemTransport"


def prepare_broker(app: Celery) -> None:
    """Give the embedded broker its transport, and create its folders, which it expects to exist (shared by every process)."""
    if (app.conf.broker_url or "").startswith("filesystem:"):
        # Chosen here, from the broker in effect, not in the settings: Celery's broker_transport wins
        # over the URL's scheme, so a CELERY_BROKER_URL a project sets itself would get it too.
        app.conf.broker_transport = FILESYSTEM_TRANSPORT
        options = app.conf.broker_transport_options or {}
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            if key in options:
                Path(options[key]).mkdir(parents=True, exist_ok=True)
