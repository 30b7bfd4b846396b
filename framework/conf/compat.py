"""What differs between the Django lines the framework supports (5.2 LTS and 6.x), decided here once."""

from __future__ import annotations

import django

#: Django 6.1 configures email with MAILERS, and deprecates EMAIL_BACKEND, EMAIL_HOST and the rest.
HAS_MAILERS = django.VERSION >= (6, 1)

#: Django 6.0 ships the Tasks API as django.tasks; on 5.2 the django-tasks backport provides the same API.
TASKS_MODULE = "django.tasks" if django.VERSION >= (6, 0) else "django_tasks"
