"""The framework's Django app."""

from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = "Framework"

    def ready(self) -> None:
        from .conf import checks  # noqa: F401 -- registers the system checks
        from .email import tasks  # noqa: F401 -- registers the email task, for workers too
