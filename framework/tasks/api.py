"""Django's Tasks API, on either Django line: `django.tasks` on 6.x, the django-tasks backport on 5.2.

Import its names from here in code that runs on both, as the project template does:

    from framework.tasks import api as django_tasks

    @django_tasks.task()
    def summarize(note_id: int) -> dict: ...

On Django 6.x alone, `from django.tasks import task` is the same decorator.
"""

from __future__ import annotations

from importlib import import_module

from framework.conf.compat import TASKS_MODULE

_api = import_module(TASKS_MODULE)
_base = import_module(f"{TASKS_MODULE}.base")
_exceptions = import_module(f"{TASKS_MODULE}.exceptions")
_signals = import_module(f"{TASKS_MODULE}.signals")

task = _api.task
task_backends = _api.task_backends
default_task_backend = _api.default_task_backend
Task = _base.Task
TaskContext = _base.TaskContext
TaskError = _base.TaskError
TaskResult = _base.TaskResult
TaskResultStatus = _base.TaskResultStatus
DEFAULT_TASK_PRIORITY = _base.DEFAULT_TASK_PRIORITY
DEFAULT_TASK_QUEUE_NAME = _base.DEFAULT_TASK_QUEUE_NAME
BaseTaskBackend = import_module(f"{TASKS_MODULE}.backends.base").BaseTaskBackend
# The backport names it InvalidTaskError; Django 6, InvalidTask.
InvalidTask = getattr(_exceptions, "InvalidTask", None) or _exceptions.InvalidTaskError
TaskResultDoesNotExist = _exceptions.TaskResultDoesNotExist
task_enqueued = _signals.task_enqueued
task_started = _signals.task_started
task_finished = _signals.task_finished

if TASKS_MODULE == "django.tasks":
    from django.utils.json import normalize_json
else:
    from django_tasks.utils import normalize_json

__all__ = [
    "DEFAULT_TASK_PRIORITY",
    "DEFAULT_TASK_QUEUE_NAME",
    "BaseTaskBackend",
    "InvalidTask",
    "Task",
    "TaskContext",
    "TaskError",
    "TaskResult",
    "TaskResultDoesNotExist",
    "TaskResultStatus",
    "default_task_backend",
    "normalize_json",
    "task",
    "task_backends",
    "task_enqueued",
    "task_finished",
    "task_started",
]
