"""The scheduler app: the periodic tasks' table, its admin page, and Celery beat's scheduler on it."""

from django.apps import AppConfig


class SchedulerConfig(AppConfig):
    name = "framework.scheduler"
    label = "framework_scheduler"
    verbose_name = "Periodic tasks"
    default_auto_field = "django.db.models.BigAutoField"
