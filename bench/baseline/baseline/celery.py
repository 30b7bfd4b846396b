"""The plain Celery app, as Celery's "First steps with Django" writes it."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baseline.settings")

app = Celery("baseline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
