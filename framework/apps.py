"""The framework's Django app."""

from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = "Framework"

    def ready(self) -> None:
        from .conf import checks  # noqa: F401 -- registers the system checks
        from .server import checks as server_checks  # noqa: F401 -- and those `serve` runs
        from .observability import checks as observability_checks  # noqa: F401
        from .services import checks as service_checks  # noqa: F401 -- and those of the services called
        from .server.static import register_check

        register_check()  # readiness reports static files that are not collected
        from .tasks.app import get_app

        get_app()  # a project without a celery.py module still gets a configured app
        from .email import tasks  # noqa: F401 -- registers the email task, for workers too
        from .tasks import checks as task_checks, runner  # noqa: F401 -- the checks; the task that runs Django's tasks
        from .observability import tracing

        tracing.setup()  # when the settings turn it on; before any WSGI handler reads MIDDLEWARE
