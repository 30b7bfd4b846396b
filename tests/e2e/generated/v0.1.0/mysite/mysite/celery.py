"""The task queue of mysite: a Celery app configured from its settings."""

import os

from framework.tasks import create_app

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

app = create_app("mysite")
