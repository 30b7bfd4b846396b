"""The task queue's app: the outbox of tasks waiting to be published, and the ids of tasks that ran."""

from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "framework.tasks"
    label = "framework_tasks"
    verbose_name = "Task queue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from framework.observability import tasks as task_metrics

        from . import checks  # noqa: F401 -- registers the system checks

        task_metrics.connect()
